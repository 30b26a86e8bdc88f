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
        return RedirectToPage("/Maintenance/Details", new { id });
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
