using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Teams;

/// <summary>The team's members and open invitations. Every member sees who is in the team; owners manage it; anyone may leave.</summary>
[TeamAccess(Write = TeamRole.Owner)]
public sealed class IndexModel(TeamScope scope, TeamService teams, TimeProvider time) : PageModel
{
    public sealed record MemberRow(string UserId, string Email, TeamRole Role, DateTimeOffset JoinedAt, bool TwoFactor);

    public sealed record InvitationRow(int Id, string Email, TeamRole Role, DateTimeOffset ExpiresAt);

    public IReadOnlyList<MemberRow> Members { get; private set; } = [];

    public IReadOnlyList<InvitationRow> Invitations { get; private set; } = [];

    public string TeamName { get; private set; } = "";

    public bool RequiresTwoFactor { get; private set; }

    [BindProperty]
    public InviteInput Invite { get; set; } = new();

    public sealed class InviteInput
    {
        public string Email { get; set; } = "";

        public TeamRole Role { get; set; } = TeamRole.Editor;
    }

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var outcome = await teams.InviteAsync(Invite.Email, Invite.Role,
                token => Url.Page("/Teams/Join", pageHandler: null, values: new { token })!, cancellationToken);
            if (outcome.Done)
            {
                TempData["Flash"] = outcome.Message;
                return RedirectToPage();
            }

            ModelState.AddModelError("Invite.Email", outcome.Message);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int invitationId, CancellationToken cancellationToken) =>
        await teams.RevokeAsync(invitationId, cancellationToken) ? Done("Invitation revoked: its link no longer works.") : NotFound();

    public async Task<IActionResult> OnPostRoleAsync(string userId, TeamRole role, CancellationToken cancellationToken) =>
        Done(await teams.ChangeRoleAsync(userId, role, cancellationToken));

    public async Task<IActionResult> OnPostRemoveAsync(string userId, CancellationToken cancellationToken) =>
        Done(await teams.RemoveAsync(userId, cancellationToken));

    public async Task<IActionResult> OnPostTransferAsync(string userId, CancellationToken cancellationToken) =>
        Done(await teams.TransferOwnershipAsync(userId, cancellationToken));

    /// <summary>Any member may leave; the last owner may not (the team would have nobody to run it).</summary>
    [TeamAccess(Write = TeamRole.Viewer)]
    public async Task<IActionResult> OnPostLeaveAsync(CancellationToken cancellationToken)
    {
        var outcome = await teams.LeaveAsync(cancellationToken);
        TempData["Flash"] = outcome.Message;
        return outcome.Done ? RedirectToPage("/Dashboard") : RedirectToPage();
    }

    /// <summary>A member id of another team (or of nobody) is not found, like any id that is not this team's (TeamScope).</summary>
    private IActionResult Done(TeamOutcome outcome) => outcome == TeamOutcome.NotAMember ? NotFound() : Done(outcome.Message);

    private RedirectToPageResult Done(string message)
    {
        TempData["Flash"] = message;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        var teamId = scope.TeamId;
        TeamName = scope.Context.Current?.TeamName ?? "";
        RequiresTwoFactor = scope.Context.Current?.RequireTwoFactor ?? false;
        var members = await scope.Db.TeamMembers.AsNoTracking().Where(m => m.TeamId == teamId)
            .OrderByDescending(m => m.Role).ThenBy(m => m.User!.Email)
            .Select(m => new { m.UserId, m.User!.Email, m.Role, m.JoinedAt, m.User.TwoFactorEnabled })
            .ToListAsync(cancellationToken);
        Members = members.ConvertAll(m => new MemberRow(m.UserId, m.Email ?? m.UserId, m.Role, m.JoinedAt, m.TwoFactorEnabled));
        var now = Now;
        var open = await scope.Db.TeamInvitations.AsNoTracking()
            .Where(i => i.TeamId == teamId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.Email).Select(i => new { i.Id, i.Email, i.Role, i.ExpiresAt }).ToListAsync(cancellationToken);
        Invitations = open.ConvertAll(i => new InvitationRow(i.Id, i.Email, i.Role, i.ExpiresAt));
    }
}
