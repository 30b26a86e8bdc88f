using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Checks;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Checks;

/// <remarks>A form that changes the team's things: editors and owners only, to look at as well as to send.</remarks>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class EditModel(CheckService checks, TeamScope scope) : PageModel
{
    [BindProperty]
    public CheckForm Input { get; set; } = new();

    /// <summary>The result of "Test now", shown on the form; nothing is saved.</summary>
    public TestOutcome? Test { get; private set; }

    public Check? Check { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Input = CheckForm.From(Check!, await checks.PageIdsOfAsync(id, cancellationToken), await checks.ChannelIdsOfAsync(id, cancellationToken));
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Input.Kind = Check!.Kind; // the kind is fixed once saved
        if (!ModelState.BoundCleanly(checks, Input))
        {
            return Page();
        }

        Test = await checks.TestAsync(Input, cancellationToken);
        ModelState.AddFieldErrors(nameof(Input), Test.Errors);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            if (!await LoadAsync(id, cancellationToken))
            {
                return NotFound();
            }

            Input.Kind = Check!.Kind;
            ModelState.BoundCleanly(checks, Input);
            return Page();
        }

        var outcome = await checks.UpdateAsync(id, Input, cancellationToken);
        switch (outcome.Status)
        {
            case CheckOutcomeStatus.NotFound:
                return NotFound();
            case CheckOutcomeStatus.Done:
                TempData["Flash"] = "Check saved.";
                return RedirectToPage("/Checks/Details", new { id });
            default:
                ModelState.AddFieldErrors(nameof(Input), outcome.Errors);
                await LoadAsync(id, cancellationToken);
                return Page();
        }
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        Check = await scope.FindCheckAsync(id, cancellationToken);
        ViewData["MinimumIntervalSeconds"] = checks.MinimumIntervalSeconds;
        ViewData["Pages"] = await checks.PagesAsync(cancellationToken);
        ViewData["Channels"] = await checks.ChannelsAsync(cancellationToken);
        ViewData["ServiceChosen"] = true;
        return Check is not null;
    }
}
