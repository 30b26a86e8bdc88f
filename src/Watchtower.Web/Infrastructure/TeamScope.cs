using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// The one place owner data is read or changed through: every query is scoped to the team the
/// signed-in person works in. A page or check of another team is simply not found (404, not 403,
/// the same answer as an id that does not exist). What a member's role allows is decided by
/// <see cref="TeamAccessFilter"/> before a handler runs.
/// </summary>
public sealed class TeamScope(WatchtowerDbContext db, IHttpContextAccessor http)
{
    public WatchtowerDbContext Db => db;

    private HttpContext Http => http.HttpContext ?? throw new InvalidOperationException("TeamScope used outside a request.");

    /// <summary>The signed-in person, as the request carries them.</summary>
    public ClaimsPrincipal User => Http.User;

    public string UserId =>
        User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("TeamScope used outside a signed-in request.");

    /// <summary>The person's teams and current team, loaded once for the request.</summary>
    public TeamContext Context => Http.Features.Get<TeamContext>() ?? throw new InvalidOperationException("No team context on this request (UseTeamContext).");

    /// <summary>The current team's id; 0 (no team has it) when the person is in no team, so every scoped query is empty.</summary>
    public int TeamId => Context.Current?.TeamId ?? 0;

    public TeamRole? Role => Context.Role;

    public bool CanEdit => Role >= TeamRole.Editor;

    public bool IsOwner => Role == TeamRole.Owner;

    public IQueryable<StatusPage> Pages
    {
        get
        {
            var team = TeamId;
            return db.StatusPages.Where(p => p.TeamId == team);
        }
    }

    public IQueryable<Check> Checks
    {
        get
        {
            var team = TeamId;
            return db.Checks.Where(c => c.TeamId == team);
        }
    }

    public IQueryable<CheckResult> ResultsOf(int checkId) =>
        db.CheckResults.Where(r => r.CheckId == checkId && Checks.Any(c => c.Id == checkId));

    public Task<StatusPage?> FindPageAsync(int id, CancellationToken cancellationToken) =>
        Pages.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    public Task<Check?> FindCheckAsync(int id, CancellationToken cancellationToken) =>
        Checks.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
}
