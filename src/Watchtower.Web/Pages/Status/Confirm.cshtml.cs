using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Web.Branding;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;
using Watchtower.Web.Subscribers;

namespace Watchtower.Web.Pages.Status;

/// <summary>
/// The link in the confirmation email. Opening it shows a button; the subscription is confirmed by
/// pressing it (a POST), so a mail scanner that follows links confirms nothing. The token works once,
/// for 48 hours; an unknown, used or expired one gets one answer.
/// </summary>
[PublicPage]
public sealed class ConfirmModel(SubscriptionService subscriptions) : PageModel
{
    public string Name { get; private set; } = "";
    public string Base { get; private set; } = "";
    public string Token { get; private set; } = "";
    public ConfirmOutcome? Outcome { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string? token, CancellationToken cancellationToken)
    {
        var page = await LoadAsync(slug, token, cancellationToken);
        return page is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, string? token, CancellationToken cancellationToken)
    {
        var page = await LoadAsync(slug, token, cancellationToken);
        if (page is null)
        {
            return NotFound();
        }

        Outcome = await subscriptions.ConfirmAsync(page.Id, token, cancellationToken);
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
