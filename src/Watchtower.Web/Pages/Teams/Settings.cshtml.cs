using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Teams;

/// <summary>The team's name, its two-factor rule, and its deletion: owners only.</summary>
[TeamAccess(Read = TeamRole.Owner, Write = TeamRole.Owner)]
public sealed class SettingsModel(TeamScope scope, TeamService teams) : PageModel
{
    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string? ConfirmName { get; set; }

    public bool RequiresTwoFactor { get; private set; }

    public void OnGet() => Load();

    public async Task<IActionResult> OnPostRenameAsync(CancellationToken cancellationToken) =>
        Outcome(await teams.RenameAsync(Name, cancellationToken), nameof(Name));

    public async Task<IActionResult> OnPostTwoFactorAsync(bool required, CancellationToken cancellationToken) =>
        Outcome(await teams.RequireTwoFactorAsync(required, cancellationToken), "");

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        var outcome = await teams.DeleteAsync(ConfirmName, cancellationToken);
        if (!outcome.Done)
        {
            return Outcome(outcome, nameof(ConfirmName));
        }

        TempData["Flash"] = outcome.Message;
        return RedirectToPage("/Dashboard");
    }

    private IActionResult Outcome(TeamOutcome outcome, string field)
    {
        if (outcome.Done)
        {
            TempData["Flash"] = outcome.Message;
            return RedirectToPage();
        }

        ModelState.AddModelError(field, outcome.Message);
        Load(keepName: true);
        return Page();
    }

    private void Load(bool keepName = false)
    {
        var current = scope.Context.Current!;
        if (!keepName)
        {
            Name = current.TeamName;
        }

        RequiresTwoFactor = current.RequireTwoFactor;
    }
}
