using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Teams;

/// <summary>
/// The page an invitation link opens: it says which team, and the signed-in person joins with a
/// button (a GET never changes anything). Someone signed out is sent to sign in or up first.
/// </summary>
public sealed class JoinModel(TeamService teams, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public TeamInvitation? Invitation { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Invitation = await teams.FindInvitationAsync(Token, cancellationToken);
        Problem = Invitation is null || Invitation.RevokedAt is not null ? "This invitation link is not valid. Ask the team's owner for a new one."
            : Invitation.AcceptedAt is not null ? "This invitation has been used already. Each link works once."
            : Invitation.ExpiresAt <= time.GetUtcNow() ? "This invitation has expired. Ask the team's owner for a new one."
            : null;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await teams.AcceptAsync(Token, cancellationToken);
        if (outcome.Done)
        {
            TempData["Flash"] = outcome.Message;
            return RedirectToPage("/Dashboard");
        }

        Problem = outcome.Message;
        Invitation = await teams.FindInvitationAsync(Token, cancellationToken);
        return Page();
    }
}
