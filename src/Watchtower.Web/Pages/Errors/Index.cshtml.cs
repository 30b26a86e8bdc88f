using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Errors;

/// <summary>
/// Friendly pages for error status codes (re-executed by UseStatusCodePages / UseExceptionHandler),
/// with the reason a request was refused when one was given (<see cref="RequestProblem"/>).
/// </summary>
/// <remarks>
/// It has no handlers and binds nothing: a re-executed POST still carries the refused body, and binding would read it
/// again (a form over the limits, in a charset .NET will not decode) and fail on the error page itself.
/// </remarks>
[IgnoreAntiforgeryToken]
public sealed class IndexModel : PageModel
{
    /// <summary>From the route, whatever the method: a re-executed POST, PUT or DELETE shows the same page.</summary>
    public int Code => int.TryParse(RouteData.Values["code"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 500;

    public string Title => Code switch
    {
        404 => "Page not found",
        429 => "Too many requests",
        400 => "Bad request",
        413 => "Request too large",
        _ => "Something went wrong",
    };

    public string Explanation => Code switch
    {
        404 => "There is nothing at this address. Check the link, or go back to the start.",
        429 => "You sent too many requests. Wait a minute and try again.",
        400 => "The request could not be understood. Reload the form and try again.",
        413 => "The request was larger than this instance accepts.",
        _ => "We could not complete your request. It has been logged; try again in a moment.",
    };

    /// <summary>What was wrong with this particular request, when the refusal said.</summary>
    public string? Detail => HttpContext.Features.Get<RequestProblem>()?.Message;
}
