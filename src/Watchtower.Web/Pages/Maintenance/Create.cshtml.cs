using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Checks;
using Watchtower.Web.Incidents;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Maintenance;

/// <remarks>A form that changes the team's things: editors and owners only, to look at as well as to send.</remarks>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class CreateModel(TeamScope scope, IncidentService incidents, MaintenanceService maintenance) : PageModel
{
    [BindProperty]
    public MaintenanceInput Input { get; set; } = new();

    public int PageId { get; private set; }
    public string PageName { get; private set; } = "";
    public IReadOnlyList<PageComponent> Components { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int pageId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(pageId, cancellationToken))
        {
            return NotFound();
        }

        // A suggestion: tomorrow, 02:00–03:00 (in the zone the form then shows).
        var tomorrow = maintenance.Now.UtcDateTime.Date.AddDays(1);
        Input = new MaintenanceInput { StartsAt = tomorrow.AddHours(2), EndsAt = tomorrow.AddHours(3), CheckIds = [.. Components.Select(c => c.CheckId)] };
        ModelState.Clear();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int pageId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(pageId, cancellationToken))
        {
            return NotFound();
        }

        var outcome = await maintenance.CreateAsync(pageId, Input, cancellationToken);
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Done || !ModelState.IsValid)
        {
            ModelState.AddFieldErrors("Input", outcome.Errors);
            return Page();
        }

        TempData["Flash"] = Input.Repeat ? "Weekly maintenance scheduled." : "Maintenance scheduled.";
        return RedirectToPage("/StatusPages/Incidents", new { id = pageId });
    }

    /// <summary>The message for a field of the form, if any.</summary>
    public string? Error(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;

    private async Task<bool> LoadAsync(int pageId, CancellationToken cancellationToken)
    {
        var page = await scope.FindPageAsync(pageId, cancellationToken);
        if (page is null)
        {
            return false;
        }

        PageId = page.Id;
        PageName = page.Name;
        Components = await incidents.ComponentsOfAsync(page.Id, cancellationToken);
        return true;
    }
}
