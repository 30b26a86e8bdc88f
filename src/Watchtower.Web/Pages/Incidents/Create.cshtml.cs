using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Checks;
using Watchtower.Web.Incidents;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Incidents;

/// <remarks>A form that changes the team's things: editors and owners only, to look at as well as to send.</remarks>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class CreateModel(TeamScope scope, IncidentService incidents) : PageModel
{
    [BindProperty]
    public IncidentInput Input { get; set; } = new();

    public int PageId { get; private set; }
    public string PageName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int pageId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(pageId, cancellationToken))
        {
            return NotFound();
        }

        ModelState.Clear();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int pageId, CancellationToken cancellationToken)
    {
        var posted = Input.Components;
        if (!await LoadAsync(pageId, cancellationToken))
        {
            return NotFound();
        }

        IncidentForm.KeepChoices(Input, posted);
        var outcome = await incidents.CreateAsync(pageId, Input, cancellationToken);
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Done || !ModelState.IsValid)
        {
            ModelState.AddFieldErrors("Input", outcome.Errors);
            return Page();
        }

        TempData["Flash"] = "Incident published.";
        return RedirectToPage("/Incidents/Details", new { id = outcome.Id });
    }

    private async Task<bool> LoadAsync(int pageId, CancellationToken cancellationToken)
    {
        var page = await scope.FindPageAsync(pageId, cancellationToken);
        if (page is null)
        {
            return false;
        }

        PageId = page.Id;
        PageName = page.Name;
        Input.Components = (await incidents.ComponentsOfAsync(page.Id, cancellationToken))
            .Select(c => new ComponentChoice { CheckId = c.CheckId, Name = c.Name, Status = ComponentStatus.PartialOutage }).ToList();
        return true;
    }
}
