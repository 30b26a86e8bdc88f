using Microsoft.AspNetCore.Mvc;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// Why a request was refused, in a sentence the sender can act on. It travels on the request as a
/// feature: the response goes out as a bare status code, the status-code pages re-execute
/// /Errors/{code}, and the error page shows the sentence (HTML-encoded) under its title — the same
/// page as every other error, never a stack trace.
/// </summary>
public sealed record RequestProblem(string Message)
{
    /// <summary>Longest piece of a request (a handler name, a charset) repeated in a message.</summary>
    private const int EchoMaxLength = 40;

    /// <summary>A page or filter result: the status code (400 unless told) with this message.</summary>
    public static IActionResult Result(HttpContext context, string message, int statusCode = StatusCodes.Status400BadRequest)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Features.Set(new RequestProblem(message));
        return new StatusCodeResult(statusCode);
    }

    /// <summary>Ends a request in middleware: the status code, no body, so the status-code pages show the message.</summary>
    public static void Refuse(HttpContext context, string message, int statusCode = StatusCodes.Status400BadRequest)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Features.Set(new RequestProblem(message));
        context.Response.StatusCode = statusCode;
    }

    /// <summary>A piece of the request to repeat back: capped, so a huge header or name is not echoed whole.</summary>
    public static string Echo(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.Length <= EchoMaxLength ? text : text[..(EchoMaxLength - 1)] + "…";
}
