using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// The one place owner data is read or changed through: every query is scoped to the signed-in
/// account. A page or check of another account is simply not found (404, not 403, so ids don't leak).
/// </summary>
public sealed class AccountScope(WatchtowerDbContext db, IHttpContextAccessor http)
{
    public WatchtowerDbContext Db => db;

    public string UserId =>
        http.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("AccountScope used outside a signed-in request.");

    public IQueryable<StatusPage> Pages
    {
        get
        {
            var owner = UserId;
            return db.StatusPages.Where(p => p.OwnerId == owner);
        }
    }

    public IQueryable<Check> Checks
    {
        get
        {
            var owner = UserId;
            return db.Checks.Where(c => c.OwnerId == owner);
        }
    }

    public IQueryable<CheckResult> ResultsOf(int checkId) =>
        db.CheckResults.Where(r => r.CheckId == checkId && Checks.Any(c => c.Id == checkId));

    public Task<StatusPage?> FindPageAsync(int id, CancellationToken cancellationToken) =>
        Pages.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    public Task<Check?> FindCheckAsync(int id, CancellationToken cancellationToken) =>
        Checks.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
}
