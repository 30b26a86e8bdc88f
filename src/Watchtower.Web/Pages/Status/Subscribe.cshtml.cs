using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Watchtower.Data;
using Watchtower.Web.Branding;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;
using Watchtower.Web.Subscribers;

namespace Watchtower.Web.Pages.Status;

/// <summary>
/// "Subscribe to updates": an email address and the services to hear about (all by default). Any
/// valid request gets the same answer — "check your inbox" — whether or not the address is already
/// subscribed; only a new or unconfirmed one gets a confirmation link. Posts are limited per client
/// address (<see cref="WebSetup.SubscribeRateLimit"/>) and confirmations per email address. Private
/// pages take subscriptions only from readers they admit. Nothing here is cached.
/// </summary>
[PublicPage]
[EnableRateLimiting(WebSetup.SubscribeRateLimit)]
public sealed class SubscribeModel(WatchtowerDbContext db, SubscriptionService subscriptions, PageAccess access) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    /// <summary>"all" (every service, the default) or "some" (<see cref="CheckIds"/>).</summary>
    [BindProperty]
    public string? Scope { get; set; } = "all";

    [BindProperty]
    public List<int> CheckIds { get; set; } = [];

    public string Name { get; private set; } = "";
    public string Base { get; private set; } = "";
    public IReadOnlyList<(int CheckId, string Name)> Components { get; private set; } = [];

    /// <summary>Set after a valid request: the one answer every address gets.</summary>
    public bool Requested { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var (page, refused) = await LoadAsync(slug, cancellationToken);
        return refused ?? (page is null ? NotFound() : Page());
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken cancellationToken)
    {
        var (page, refused) = await LoadAsync(slug, cancellationToken);
        if (refused is not null || page is null)
        {
            return refused ?? NotFound();
        }

        var errors = await subscriptions.SubscribeAsync(Request, page, Email, Scope != "some", CheckIds, cancellationToken);
        if (!errors.IsEmpty)
        {
            foreach (var (field, messages) in errors.ByField)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field, message);
                }
            }

            return Page();
        }

        Requested = true;
        return Page();
    }

    private async Task<(SubscriptionService.PageOfSubscription? Page, IActionResult? Refused)> LoadAsync(string slug, CancellationToken cancellationToken)
    {
        PageAccess.KeepOutOfCaches(HttpContext);
        var gate = await Gates.ReadAsync(db, (slug ?? "").ToLowerInvariant(), cancellationToken);
        if (gate is null)
        {
            return (null, NotFound());
        }

        if (Gates.Refusal(this, gate, await access.DecideAsync(HttpContext, gate, databaseUp: true, cancellationToken)) is { } refused)
        {
            return (null, refused);
        }

        var page = await subscriptions.PageAsync(gate.Slug, cancellationToken);
        if (page is null)
        {
            return (null, NotFound());
        }

        Name = page.Name;
        Base = StatusLinks.Base(HttpContext, page.Slug);
        Components = await subscriptions.ComponentsAsync(page.Id, cancellationToken);
        ViewData["NoIndex"] = true;
        return (page, null);
    }
}
