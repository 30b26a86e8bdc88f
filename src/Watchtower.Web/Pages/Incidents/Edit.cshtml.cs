using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Checks;
using Watchtower.Web.Incidents;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Incidents;

/// <remarks>A form that changes the team's things: editors and owners only, to look at as well as to send.</remarks>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class EditModel(IncidentService incidents) : PageModel
{
    [BindProperty]
    public IncidentInput Input { get; set; } = new();

    public int Id { get; private set; }
    public string Title { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var incident = await LoadAsync(id, cancellationToken);
        if (incident is null)
        {
            return NotFound();
        }

        Input.Title = incident.Title;
        Input.Impact = incident.Impact;
        Input.Hidden = incident.Hidden;
        ModelState.Clear();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        var posted = Input.Components;
        if (await LoadAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }

        IncidentForm.KeepChoices(Input, posted);
        var outcome = await incidents.EditAsync(id, Input, cancellationToken);
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Done || !ModelState.IsValid)
        {
            ModelState.AddFieldErrors("Input", outcome.Errors);
            return Page();
        }

        TempData["Flash"] = "Incident saved.";
        return RedirectToPage("/Incidents/Details", new { id });
    }

    /// <summary>The incident, and the form's rows: the page's services with the incident's choices.</summary>
    private async Task<Incident?> LoadAsync(int id, CancellationToken cancellationToken)
    {
        var incident = await incidents.FindAsync(id, cancellationToken);
        if (incident is null)
        {
            return null;
        }

        Id = incident.Id;
        Title = incident.Title;
        var chosen = incident.Components.ToDictionary(c => c.CheckId);
        Input.Components = (await incidents.ComponentsOfAsync(incident.StatusPageId, cancellationToken))
            .Select(c => new ComponentChoice
            {
                CheckId = c.CheckId,
                Name = c.Name,
                Affected = chosen.ContainsKey(c.CheckId),
                Status = chosen.TryGetValue(c.CheckId, out var ic) && ic.Status != ComponentStatus.Operational ? ic.Status : ComponentStatus.PartialOutage,
            }).ToList();
        return incident;
    }
}
