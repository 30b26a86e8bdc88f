using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Infrastructure.Accounts;
using Watchtower.Web.Infrastructure.Outage;

namespace Watchtower.Web.Teams;

/// <summary>What a team change came to: done, or refused with a sentence the page shows.</summary>
public sealed record TeamOutcome(bool Done, string Message)
{
    public static TeamOutcome Ok(string message) => new(true, message);

    public static TeamOutcome No(string message) => new(false, message);

    /// <summary>The person named is not in the current team (another team's member, or nobody): pages answer 404, as for any id that is not the team's.</summary>
    public static TeamOutcome NotAMember { get; } = No("That person is not in this team.");
}

/// <summary>
/// The one way teams change: create, switch, invite and join, roles, removing and leaving, transfer
/// of ownership, settings, deletion. Every change is written to the team's audit log with it. Who
/// may call what is decided by <see cref="TeamAccessFilter"/> on the pages; the rules that protect a
/// team from itself (it always keeps an owner) are kept here.
/// </summary>
public sealed class TeamService(
    TeamScope scope,
    UserManager<WatchtowerUser> users,
    AccountEmails emails,
    SiteLinks links,
    AuditLog audit,
    IOptions<QuotaOptions> quotas,
    StatusPageSnapshots snapshots,
    TimeProvider time)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    private WatchtowerDbContext Db => scope.Db;

    /// <summary>A team with one owner: a sign-up's personal team, or one a person makes.</summary>
    public static Team NewTeam(string name, string ownerId, DateTimeOffset now) => new()
    {
        Name = name,
        CreatedAt = now,
        CreatedByUserId = ownerId,
        Members = [new TeamMember { UserId = ownerId, Role = TeamRole.Owner, JoinedAt = now }],
    };

    /// <summary>The team a new account starts in: named after its address until the owner renames it.</summary>
    public static string PersonalTeamName(string? email) =>
        string.IsNullOrEmpty(email) ? "My team" : Truncate($"{email.Split('@')[0]}’s team", Team.NameMaxLength);

    public async Task<(TeamOutcome Outcome, int? TeamId)> CreateAsync(string? name, CancellationToken cancellationToken)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > Team.NameMaxLength)
        {
            return (TeamOutcome.No($"Give the team a name of 1 to {Team.NameMaxLength} characters."), null);
        }

        var userId = scope.UserId;
        if (await Db.TeamMembers.CountAsync(m => m.UserId == userId, cancellationToken) >= quotas.Value.TeamsPerUser)
        {
            return (TeamOutcome.No($"You are in {quotas.Value.TeamsPerUser} teams, the most this instance allows. Leave one first."), null);
        }

        // The team, its audit entry and the switch to it are one change: a retry after a lost
        // connection starts again from nothing, so it never leaves a second team behind.
        var team = await Db.InTransactionAsync(async ct =>
        {
            var created = NewTeam(trimmed, userId, time.GetUtcNow());
            Db.Teams.Add(created);
            await Db.SaveChangesAsync(ct);
            audit.Record(created.Id, "team.created", Describe(created));
            await Db.SaveChangesAsync(ct);
            await SetCurrentAsync(created.Id, ct);
            return created;
        }, cancellationToken);
        return (TeamOutcome.Ok($"Team “{team.Name}” created. You are its owner."), team.Id);
    }

    /// <summary>Works in another of the person's teams from now on (on every device). False when they are not in it.</summary>
    public async Task<bool> SwitchAsync(int teamId, CancellationToken cancellationToken)
    {
        var userId = scope.UserId;
        if (!await Db.TeamMembers.AnyAsync(m => m.UserId == userId && m.TeamId == teamId, cancellationToken))
        {
            return false;
        }

        await SetCurrentAsync(teamId, cancellationToken);
        return true;
    }

    public async Task<TeamOutcome> InviteAsync(string? email, TeamRole role, Func<string, string> joinLink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(joinLink);
        var address = email?.Trim() ?? "";
        if (address.Length is 0 or > TeamInvitation.EmailMaxLength || !new EmailAddressAttribute().IsValid(address) || address.Any(char.IsWhiteSpace))
        {
            return TeamOutcome.No("Enter the email address to invite, like name@example.com.");
        }

        if (!Enum.IsDefined(role))
        {
            return TeamOutcome.No("Choose owner, editor or viewer.");
        }

        var teamId = scope.TeamId;
        var normalized = users.NormalizeEmail(address);
        if (await Db.TeamMembers.AnyAsync(m => m.TeamId == teamId && m.User!.NormalizedEmail == normalized, cancellationToken))
        {
            return TeamOutcome.No($"{address} is already in this team.");
        }

        var now = time.GetUtcNow();
        var open = await Db.TeamInvitations.Where(i => i.TeamId == teamId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now).ToListAsync(cancellationToken);
        var members = await Db.TeamMembers.CountAsync(m => m.TeamId == teamId, cancellationToken);
        if (members + open.Count >= quotas.Value.MembersPerTeam)
        {
            return TeamOutcome.No($"This team has {members} members and {open.Count} open invitations; {quotas.Value.MembersPerTeam} is the most this instance allows.");
        }

        if (open.Count >= quotas.Value.PendingInvitationsPerTeam)
        {
            return TeamOutcome.No($"This team has {open.Count} open invitations, the most this instance allows. Revoke one first.");
        }

        // A second invitation to the same address replaces the first: one live link per person.
        foreach (var earlier in open.Where(i => string.Equals(users.NormalizeEmail(i.Email), normalized, StringComparison.Ordinal)))
        {
            earlier.RevokedAt = now;
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var invitation = new TeamInvitation
        {
            TeamId = teamId, Email = address, Role = role, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = now + InvitationLifetime,
            InvitedByUserId = scope.UserId,
        };
        Db.TeamInvitations.Add(invitation);
        audit.Record("member.invited", address, $"as {RoleName(role)}");
        await Db.SaveChangesAsync(cancellationToken);
        await emails.SendTeamInvitationAsync(address, scope.Context.Current!.TeamName, scope.User.Identity?.Name ?? "A Watchtower user", RoleName(role),
            links.Absolute(joinLink(token)), invitation.ExpiresAt);
        return TeamOutcome.Ok($"Invitation sent to {address}. The link works for 7 days.");
    }

    public async Task<bool> RevokeAsync(int invitationId, CancellationToken cancellationToken)
    {
        var teamId = scope.TeamId;
        var invitation = await Db.TeamInvitations.FirstOrDefaultAsync(i => i.Id == invitationId && i.TeamId == teamId, cancellationToken);
        if (invitation is null)
        {
            return false;
        }

        if (invitation.IsOpen(time.GetUtcNow()))
        {
            invitation.RevokedAt = time.GetUtcNow();
            audit.Record("member.invitation-revoked", invitation.Email);
            await Db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>The invitation behind a link, whatever its state (null when the token is unknown).</summary>
    public async Task<TeamInvitation?> FindInvitationAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return null;
        }

        var hash = Hash(token);
        return await Db.TeamInvitations.Include(i => i.Team).FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
    }

    /// <summary>
    /// Joins the signed-in person to the invitation's team: once, before it expires, and only for the
    /// confirmed address it was sent to (a forwarded link is of no use to anyone else).
    /// </summary>
    public async Task<TeamOutcome> AcceptAsync(string? token, CancellationToken cancellationToken)
    {
        var invitation = await FindInvitationAsync(token, cancellationToken);
        var now = time.GetUtcNow();
        if (invitation is null || invitation.RevokedAt is not null)
        {
            return TeamOutcome.No("This invitation link is not valid. Ask the team's owner for a new one.");
        }

        if (invitation.AcceptedAt is not null)
        {
            return TeamOutcome.No("This invitation has been used already. Each link works once.");
        }

        if (invitation.ExpiresAt <= now)
        {
            return TeamOutcome.No("This invitation has expired. Ask the team's owner for a new one.");
        }

        var user = await users.FindByIdAsync(scope.UserId) ?? throw new InvalidOperationException("Signed in without an account.");
        if (!string.Equals(users.NormalizeEmail(invitation.Email), user.NormalizedEmail, StringComparison.Ordinal))
        {
            return TeamOutcome.No($"This invitation was sent to another address. Sign in with the account of that address to join.");
        }

        if (!user.EmailConfirmed)
        {
            return TeamOutcome.No("Confirm your email address first (open the link we sent you), then open the invitation again.");
        }

        if (!await Db.TeamMembers.AnyAsync(m => m.TeamId == invitation.TeamId && m.UserId == user.Id, cancellationToken))
        {
            if (await Db.TeamMembers.CountAsync(m => m.UserId == user.Id, cancellationToken) >= quotas.Value.TeamsPerUser)
            {
                return TeamOutcome.No($"You are in {quotas.Value.TeamsPerUser} teams, the most this instance allows. Leave one first.");
            }

            Db.TeamMembers.Add(new TeamMember { TeamId = invitation.TeamId, UserId = user.Id, Role = invitation.Role, JoinedAt = now });
        }

        invitation.AcceptedAt = now;
        invitation.AcceptedByUserId = user.Id;
        audit.Record(invitation.TeamId, "member.joined", user.Email ?? user.Id, $"as {RoleName(invitation.Role)}");
        await Db.SaveChangesAsync(cancellationToken);
        await SetCurrentAsync(invitation.TeamId, cancellationToken);
        return TeamOutcome.Ok($"You joined “{invitation.Team!.Name}” as {RoleName(invitation.Role)}.");
    }

    public Task<TeamOutcome> ChangeRoleAsync(string userId, TeamRole role, CancellationToken cancellationToken) =>
        WithMemberAsync(userId, async (member, owners) =>
        {
            if (!Enum.IsDefined(role))
            {
                return TeamOutcome.No("Choose owner, editor or viewer.");
            }

            if (member.Role == TeamRole.Owner && role != TeamRole.Owner && owners == 1)
            {
                return TeamOutcome.No("The team needs an owner: make someone else owner first.");
            }

            var before = member.Role;
            member.Role = role;
            audit.Record("member.role-changed", member.User!.Email ?? userId, $"{RoleName(before)} → {RoleName(role)}");
            await Db.SaveChangesAsync(cancellationToken);
            return TeamOutcome.Ok($"{member.User.Email} is now {RoleName(role)}.");
        }, cancellationToken);

    public Task<TeamOutcome> RemoveAsync(string userId, CancellationToken cancellationToken) =>
        WithMemberAsync(userId, async (member, owners) =>
        {
            if (member.Role == TeamRole.Owner && owners == 1)
            {
                return TeamOutcome.No("The team's last owner cannot be removed: make someone else owner first.");
            }

            Db.TeamMembers.Remove(member);
            audit.Record(userId == scope.UserId ? "member.left" : "member.removed", member.User!.Email ?? userId);
            await Db.SaveChangesAsync(cancellationToken);
            return TeamOutcome.Ok(userId == scope.UserId ? "You left the team." : $"{member.User.Email} is no longer in the team.");
        }, cancellationToken);

    /// <summary>Leaves the current team; the last owner cannot (the team would have nobody to run it).</summary>
    public Task<TeamOutcome> LeaveAsync(CancellationToken cancellationToken) => RemoveAsync(scope.UserId, cancellationToken);

    /// <summary>Makes another member the owner and the current owner an editor.</summary>
    public Task<TeamOutcome> TransferOwnershipAsync(string userId, CancellationToken cancellationToken) =>
        WithMemberAsync(userId, async (member, _) =>
        {
            if (userId == scope.UserId)
            {
                return TeamOutcome.No("Choose another member to hand the team to.");
            }

            var me = await Db.TeamMembers.SingleAsync(m => m.TeamId == member.TeamId && m.UserId == scope.UserId, cancellationToken);
            member.Role = TeamRole.Owner;
            me.Role = TeamRole.Editor;
            audit.Record("team.ownership-transferred", member.User!.Email ?? userId);
            await Db.SaveChangesAsync(cancellationToken);
            return TeamOutcome.Ok($"{member.User.Email} owns the team now; you are an editor.");
        }, cancellationToken);

    public async Task<TeamOutcome> RenameAsync(string? name, CancellationToken cancellationToken)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > Team.NameMaxLength)
        {
            return TeamOutcome.No($"Give the team a name of 1 to {Team.NameMaxLength} characters.");
        }

        var team = await CurrentTeamAsync(cancellationToken);
        audit.Record("team.renamed", Describe(team), $"now “{trimmed}”");
        team.Name = trimmed;
        await Db.SaveChangesAsync(cancellationToken);
        return TeamOutcome.Ok("Team renamed.");
    }

    /// <summary>Turns the two-factor rule on or off. An owner without two-factor sign-in cannot turn it on (it would shut them out).</summary>
    public async Task<TeamOutcome> RequireTwoFactorAsync(bool required, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(scope.UserId);
        if (required && user is not { TwoFactorEnabled: true })
        {
            return TeamOutcome.No("Turn on two-factor sign-in for your own account first (Account → Two-factor sign-in).");
        }

        var team = await CurrentTeamAsync(cancellationToken);
        team.RequireTwoFactor = required;
        audit.Record(required ? "team.two-factor-required" : "team.two-factor-optional", Describe(team));
        await Db.SaveChangesAsync(cancellationToken);
        return TeamOutcome.Ok(required
            ? "Members without two-factor sign-in now see only their account pages until they turn it on."
            : "Two-factor sign-in is no longer required in this team.");
    }

    /// <summary>Deletes the current team with its pages, checks and history, after the owner types its name.</summary>
    public async Task<TeamOutcome> DeleteAsync(string? typedName, CancellationToken cancellationToken)
    {
        var team = await CurrentTeamAsync(cancellationToken);
        if (!string.Equals(typedName?.Trim(), team.Name, StringComparison.Ordinal))
        {
            return TeamOutcome.No($"Type the team's name, {team.Name}, to confirm.");
        }

        Db.Teams.Remove(team);
        await Db.SaveChangesAsync(cancellationToken);
        snapshots.ForgetAll(); // its public pages went with it
        return TeamOutcome.Ok($"Team “{team.Name}” and everything in it were deleted.");
    }

    public static string RoleName(TeamRole role) => role switch
    {
        TeamRole.Owner => "owner",
        TeamRole.Editor => "editor",
        _ => "viewer",
    };

    private async Task<TeamOutcome> WithMemberAsync(string userId, Func<TeamMember, int, Task<TeamOutcome>> change, CancellationToken cancellationToken)
    {
        var teamId = scope.TeamId;
        var members = await Db.TeamMembers.Include(m => m.User).Where(m => m.TeamId == teamId).ToListAsync(cancellationToken);
        var member = members.FirstOrDefault(m => m.UserId == userId);
        return member is null
            ? TeamOutcome.NotAMember
            : await change(member, members.Count(m => m.Role == TeamRole.Owner));
    }

    private async Task<Team> CurrentTeamAsync(CancellationToken cancellationToken)
    {
        var teamId = scope.TeamId;
        return await Db.Teams.SingleAsync(t => t.Id == teamId, cancellationToken);
    }

    private async Task SetCurrentAsync(int teamId, CancellationToken cancellationToken)
    {
        var userId = scope.UserId;
        await Db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.CurrentTeamId, teamId), cancellationToken);
    }

    private static string Describe(Team team) => AuditLog.Describe("team", team.Name, team.Id);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
