using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Web.Branding;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;
using Watchtower.Web.Subscribers;

namespace Watchtower.Web.Pages.Status;

/// <summary>
/// One-click unsubscribe (RFC 8058): the List-Unsubscribe address of every notice. A POST to it —
/// a mail client's "List-Unsubscribe=One-Click", or the button on this page — ends the subscription
/// with no other step and no antiforgery token (the token in the address is the proof). A GET only
/// shows the button, so link scanners unsubscribe nobody. The answer is the same whether or not the
/// subscription still existed.
/// </summary>
[PublicPage]
[IgnoreAntiforgeryToken]
public sealed class UnsubscribeModel(SubscriptionService subscriptions) : PageModel
{
    public string Name { get; private set; } = "";
    public string Base { get; private set; } = "";
    public string Token { get; private set; } = "";
    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string? token, CancellationToken cancellationToken)
    {
        var page = await LoadAsync(slug, token, cancellationToken);
        return page is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, [FromQuery] string? token, CancellationToken cancellationToken)
    {
        var page = await LoadAsync(slug, token, cancellationToken);
        if (page is null)
        {
            return NotFound();
        }

        await subscriptions.UnsubscribeAsync(page.Id, token, cancellationToken);
        Done = true;
        return Page();
    }

    private async Task<SubscriptionService.PageOfSubscription?> LoadAsync(string slug, string? token, CancellationToken cancellationToken)
    {
        PageAccess.KeepOutOfCaches(HttpContext);
        Response.Headers["Referrer-Policy"] = "no-referrer";
        var page = await subscriptions.PageAsync(slug, cancellationToken);
        if (page is not null)
        {
            Name = page.Name;
            Base = StatusLinks.Base(HttpContext, page.Slug);
            Token = token ?? "";
            ViewData["NoIndex"] = true;
        }

        return page;
    }
}
