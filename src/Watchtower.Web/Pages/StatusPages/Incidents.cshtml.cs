using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Incidents;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.StatusPages;

/// <summary>A page's incidents (open first, then newest) and maintenance windows; every member may look, editors act.</summary>
public sealed class IncidentsModel(TeamScope scope, IncidentService incidents, MaintenanceService maintenance) : PageModel
{
    public StatusPage? StatusPage { get; private set; }
    public IReadOnlyList<Incident> Incidents { get; private set; } = [];
    public IReadOnlyList<Watchtower.Data.Entities.Maintenance> Windows { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        StatusPage = await scope.FindPageAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        Now = maintenance.Now;
        var list = await incidents.Incidents.AsNoTracking().Where(i => i.StatusPageId == id).OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(200).ToListAsync(cancellationToken);
        Incidents = [.. list.OrderBy(i => i.IsOpen ? 0 : 1)];
        // Of a weekly window, the next occurrence stands for those written ahead (its page says it repeats).
        Windows = await Watchtower.Monitoring.Incidents.RecurringMaintenancePass.ShownToReaders(maintenance.Maintenances.AsNoTracking(), scope.Db, maintenance.Now)
            .Include(m => m.Components).ThenInclude(c => c.Check)
            .Where(m => m.StatusPageId == id).OrderByDescending(m => m.StartsAt).Take(100).ToListAsync(cancellationToken);
        return Page();
    }
}
