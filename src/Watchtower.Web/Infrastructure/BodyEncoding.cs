using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// Refuses, before anything reads it, a body Watchtower would misread: one whose Content-Type does
/// not parse, or one in a character set other than UTF-8. ASP.NET Core reads a form in an unknown
/// charset as UTF-8 without a word (so "café" in Latin-1 would be saved as "caf�"), and a
/// charset=utf-7 form throws (UTF-7 is disabled in .NET) — a 500. Browsers send UTF-8, since every
/// page is UTF-8; anything else is a client to tell, not to guess for.
/// </summary>
internal static class BodyEncoding
{
    /// <summary>UTF-8 under its usual names, and US-ASCII, which is a subset of it.</summary>
    private static readonly string[] ReadCharsets = ["utf-8", "utf8", "us-ascii"];

    public static IApplicationBuilder UseUtf8Bodies(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            // The error page is re-executed with the same headers; it must not be refused in turn.
            if (context.Features.Get<IStatusCodeReExecuteFeature>() is null && Problem(context.Request.ContentType) is { } problem)
            {
                RequestProblem.Refuse(context, problem);
                return;
            }

            await next(context);
        });

    /// <summary>Why a body with this Content-Type cannot be read, or null when it can (or there is none).</summary>
    public static string? Problem(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var type))
        {
            return $"The Content-Type header of this request (“{RequestProblem.Echo(contentType)}”) could not be read. "
                + "Forms are sent as application/x-www-form-urlencoded or multipart/form-data, in UTF-8.";
        }

        var charset = HeaderUtilities.RemoveQuotes(type.Charset);
        return StringSegment.IsNullOrEmpty(charset) || ReadCharsets.Any(name => charset.Equals(name, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"This form was sent in a character set Watchtower does not read ({RequestProblem.Echo(charset.Value)}); send UTF-8.";
    }
}
