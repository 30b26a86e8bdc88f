using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Web.Incidents;

namespace Watchtower.Web.Pages.Maintenance;

/// <summary>A maintenance window; editors start, complete or cancel it. Viewers only look.</summary>
public sealed class DetailsModel(MaintenanceService maintenance) : PageModel
{
    public Watchtower.Data.Entities.Maintenance? Window { get; private set; }
    public DateTimeOffset Now => maintenance.Now;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Window = await maintenance.FindAsync(id, cancellationToken);
        return Window is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostStartAsync(int id, CancellationToken cancellationToken) =>
        Done(id, await maintenance.StartAsync(id, cancellationToken), "Maintenance started: its services show “Under maintenance”.");

    public async Task<IActionResult> OnPostCompleteAsync(int id, CancellationToken cancellationToken) =>
        Done(id, await maintenance.CompleteAsync(id, cancellationToken), "Maintenance completed.");

    /// <summary>Stops the weekly rule this window is an occurrence of: its coming occurrences go, past ones stay.</summary>
    public async Task<IActionResult> OnPostStopRepeatingAsync(int id, CancellationToken cancellationToken)
    {
        var pageId = (await maintenance.FindAsync(id, cancellationToken))?.StatusPageId;
        var outcome = await maintenance.StopRepeatingAsync(id, cancellationToken);
        if (outcome.NotFound || pageId is null)
        {
            return NotFound();
        }

        TempData["Flash"] = "Weekly maintenance stopped: its coming windows are removed.";
        return RedirectToPage("/StatusPages/Incidents", new { id = pageId });
    }

    public async Task<IActionResult> OnPostCancelAsync(int id, CancellationToken cancellationToken)
    {
        var pageId = (await maintenance.FindAsync(id, cancellationToken))?.StatusPageId;
        var outcome = await maintenance.CancelAsync(id, cancellationToken);
        if (outcome.NotFound || pageId is null)
        {
            return NotFound();
        }

        TempData["Flash"] = "Maintenance cancelled.";
        return RedirectToPage("/StatusPages/Incidents", new { id = pageId });
    }

    private IActionResult Done(int id, Outcome outcome, string message)
    {
        if (outcome.NotFound)
        {
            return NotFound();
        }

        TempData["Flash"] = message;
        return RedirectToPage(new { id });
    }
}
