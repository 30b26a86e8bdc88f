using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Teams;

/// <summary>One team a person is in, as the app needs it on every request.</summary>
public sealed record TeamMembership(int TeamId, string TeamName, TeamRole Role, bool RequireTwoFactor);

/// <summary>
/// Who is asking and in which team: read once per signed-in request (one query) and kept on the
/// request, so every scoped query and every role check answers from the same facts.
/// </summary>
public sealed record TeamContext(string UserId, TeamMembership? Current, IReadOnlyList<TeamMembership> Teams)
{
    public bool HasTeam => Current is not null;

    public TeamRole? Role => Current?.Role;

    /// <summary>The person's teams, and the one they work in: their chosen team while they are still in it, else the one they joined first.</summary>
    public static async Task<TeamContext> LoadAsync(WatchtowerDbContext db, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.TeamMembers.AsNoTracking()
            .Where(m => m.UserId == userId)
            .OrderBy(m => m.JoinedAt).ThenBy(m => m.TeamId)
            .Select(m => new { m.TeamId, m.Team!.Name, m.Role, m.Team.RequireTwoFactor, Chosen = m.User!.CurrentTeamId })
            .ToListAsync(cancellationToken);
        var teams = rows.ConvertAll(r => new TeamMembership(r.TeamId, r.Name, r.Role, r.RequireTwoFactor));
        var chosen = rows.FirstOrDefault()?.Chosen;
        var current = teams.FirstOrDefault(t => t.TeamId == chosen) ?? teams.FirstOrDefault();
        return new TeamContext(userId, current, teams);
    }
}
