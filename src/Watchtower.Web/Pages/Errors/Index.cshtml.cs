using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Watchtower.Web.Pages.Errors;

/// <summary>Friendly pages for error status codes (re-executed by UseStatusCodePages / UseExceptionHandler).</summary>
[IgnoreAntiforgeryToken]
public sealed class IndexModel : PageModel
{
    public int Code { get; private set; }

    public string Title => Code switch
    {
        404 => "Page not found",
        429 => "Too many requests",
        400 => "Bad request",
        _ => "Something went wrong",
    };

    public string Explanation => Code switch
    {
        404 => "There is nothing at this address. Check the link, or go back to the start.",
        429 => "You sent too many requests. Wait a minute and try again.",
        400 => "The request could not be understood. Reload the form and try again.",
        _ => "We could not complete your request. It has been logged; try again in a moment.",
    };

    public void OnGet(int code) => Code = code;

    public void OnPost(int code) => Code = code;
}
