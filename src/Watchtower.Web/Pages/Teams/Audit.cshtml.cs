using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Teams;

/// <summary>Who did what in the team, newest first, a page at a time; owners only. Entries are kept a year.</summary>
[TeamAccess(Read = TeamRole.Owner, Write = TeamRole.Owner)]
public sealed class AuditModel(TeamScope scope, TimeProvider time) : PageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public int PageNumber { get; private set; } = 1;

    public bool HasMore { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(int? p, CancellationToken cancellationToken)
    {
        PageNumber = Math.Clamp(p ?? 1, 1, 10_000);
        Now = time.GetUtcNow();
        var teamId = scope.TeamId;
        var events = await scope.Db.AuditEvents.AsNoTracking().Where(e => e.TeamId == teamId)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync(cancellationToken);
        HasMore = events.Count > PageSize;
        Events = events.Take(PageSize).ToList();
    }
}
