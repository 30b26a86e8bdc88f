using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Checks;
using Watchtower.Web.Incidents;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Maintenance;

/// <remarks>A form that changes the team's things: editors and owners only, to look at as well as to send.</remarks>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class EditModel(IncidentService incidents, MaintenanceService maintenance) : PageModel
{
    [BindProperty]
    public MaintenanceInput Input { get; set; } = new();

    public Watchtower.Data.Entities.Maintenance? Window { get; private set; }
    public IReadOnlyList<PageComponent> Components { get; private set; } = [];
    public DateTimeOffset Now => maintenance.Now;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Input = MaintenanceService.InputOf(Window!);
        ModelState.Clear();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var outcome = await maintenance.EditAsync(id, Input, cancellationToken);
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Done || !ModelState.IsValid)
        {
            ModelState.AddFieldErrors("Input", outcome.Errors);
            return Page();
        }

        TempData["Flash"] = "Maintenance saved.";
        return RedirectToPage(new { id });
    }

    public Task<IActionResult> OnPostStartAsync(int id, CancellationToken cancellationToken) =>
        ActAsync(id, maintenance.StartAsync(id, cancellationToken), "Maintenance started: its services show “Under maintenance”.");

    public Task<IActionResult> OnPostCompleteAsync(int id, CancellationToken cancellationToken) =>
        ActAsync(id, maintenance.CompleteAsync(id, cancellationToken), "Maintenance completed.");

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

    private async Task<IActionResult> ActAsync(int id, Task<Outcome> action, string message)
    {
        var outcome = await action;
        if (outcome.NotFound)
        {
            return NotFound();
        }

        TempData["Flash"] = message;
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        Window = await maintenance.FindAsync(id, cancellationToken);
        if (Window is null)
        {
            return false;
        }

        Components = await incidents.ComponentsOfAsync(Window.StatusPageId, cancellationToken);
        return true;
    }
}
