using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Checks;
using Watchtower.Web.Incidents;

namespace Watchtower.Web.Pages.Incidents;

/// <summary>An incident's timeline; editors post updates (which move its status), resolve, hide or merge it. Viewers only look.</summary>
public sealed class DetailsModel(IncidentService incidents) : PageModel
{
    [BindProperty]
    public UpdateInput Update { get; set; } = new();

    public Incident? Incident { get; private set; }

    public IReadOnlyList<(int Id, string Title, DateTimeOffset CreatedAt)> MergeTargets { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Update = new UpdateInput { Status = Incident!.Status == IncidentStatus.Investigating ? IncidentStatus.Identified : Incident.Status };
        ModelState.Clear();
        return Page();
    }

    /// <summary>Posts an update.</summary>
    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await AgainAsync(id, null, cancellationToken);
        }

        var outcome = await incidents.PostUpdateAsync(id, Update, cancellationToken);
        return outcome.NotFound ? NotFound()
            : !outcome.Done ? await AgainAsync(id, outcome.Errors, cancellationToken)
            : Done(id, Update.Status == IncidentStatus.Resolved ? "Update posted; the incident is resolved." : "Update posted.");
    }

    public async Task<IActionResult> OnPostResolveAsync(int id, CancellationToken cancellationToken)
    {
        var outcome = await incidents.ResolveAsync(id, cancellationToken);
        return outcome.NotFound ? NotFound() : Done(id, "Incident resolved.");
    }

    public async Task<IActionResult> OnPostHiddenAsync(int id, bool hidden, CancellationToken cancellationToken)
    {
        var outcome = await incidents.SetHiddenAsync(id, hidden, cancellationToken);
        return outcome.NotFound ? NotFound() : Done(id, hidden ? "Incident hidden from the public page." : "Incident shown on the public page.");
    }

    public async Task<IActionResult> OnPostMergeAsync(int id, int intoId, CancellationToken cancellationToken)
    {
        var outcome = await incidents.MergeAsync(id, intoId, cancellationToken);
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Done)
        {
            ModelState.Clear();
            foreach (var (field, messages) in outcome.Errors.ByField)
            {
                messages.ForEach(m => ModelState.AddModelError(field, m));
            }

            return await AgainAsync(id, null, cancellationToken);
        }

        TempData["Flash"] = $"Incident merged into #{outcome.Id}.";
        return RedirectToPage(new { id = outcome.Id });
    }

    private RedirectToPageResult Done(int id, string message)
    {
        TempData["Flash"] = message;
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> AgainAsync(int id, FieldErrors? errors, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (errors is not null)
        {
            ModelState.AddFieldErrors("Update", errors);
        }

        return Page();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        Incident = await incidents.FindAsync(id, cancellationToken);
        if (Incident is null)
        {
            return false;
        }

        MergeTargets = await incidents.MergeTargetsAsync(Incident, cancellationToken);
        return true;
    }
}
