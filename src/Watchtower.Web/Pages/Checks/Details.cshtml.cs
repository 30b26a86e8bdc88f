using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Checks;

public sealed class DetailsModel(AccountScope scope, TimeProvider time, IOutputCacheStore cache) : PageModel
{
    public Check? Check { get; private set; }
    public IReadOnlyList<CheckResult> Results { get; private set; } = [];
    public IReadOnlyList<CheckStateChange> Changes { get; private set; } = [];
    public IReadOnlyList<StatusPage> Pages { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    /// <summary>The latest result read back as the facts its run measured (reason, timings, address, what the service said, kind facts).</summary>
    public Watchtower.Probes.ProbeResult? Latest { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Check = await scope.FindCheckAsync(id, cancellationToken);
        if (Check is null)
        {
            return NotFound();
        }

        Now = time.GetUtcNow();
        Results = await scope.ResultsOf(id).AsNoTracking().OrderByDescending(r => r.CheckedAt).Take(50).ToListAsync(cancellationToken);
        Latest = Results.Count > 0 ? Watchtower.Monitoring.Engine.ResultFacts.ToProbeResult(Results[0]) : null;
        Changes = await scope.Db.CheckStateChanges.AsNoTracking().Where(s => s.CheckId == id)
            .OrderByDescending(s => s.At).Take(20).ToListAsync(cancellationToken);
        Pages = await scope.Pages.AsNoTracking().Where(p => p.Checks.Any(pc => pc.CheckId == id)).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return Page();
    }

    /// <summary>Pause stops runs at once; the state shows Paused everywhere, including public pages.</summary>
    public async Task<IActionResult> OnPostPauseAsync(int id, CancellationToken cancellationToken)
    {
        var check = await scope.FindCheckAsync(id, cancellationToken);
        if (check is null)
        {
            return NotFound();
        }

        if (check.Enabled)
        {
            var now = time.GetUtcNow();
            scope.Db.CheckStateChanges.Add(new CheckStateChange { CheckId = id, At = now, From = check.State, To = CheckState.Paused, Reason = "Paused by the owner" });
            check.Enabled = false;
            check.State = CheckState.Paused;
            check.StateChangedAt = now;
            await scope.Db.SaveChangesAsync(cancellationToken);
            await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        }

        TempData["Flash"] = $"“{check.Name}” is paused.";
        return Redirect($"/Checks/{id}");
    }

    public async Task<IActionResult> OnPostResumeAsync(int id, CancellationToken cancellationToken)
    {
        var check = await scope.FindCheckAsync(id, cancellationToken);
        if (check is null)
        {
            return NotFound();
        }

        if (!check.Enabled)
        {
            var now = time.GetUtcNow();
            scope.Db.CheckStateChanges.Add(new CheckStateChange { CheckId = id, At = now, From = check.State, To = CheckState.Pending, Reason = "Resumed by the owner" });
            check.Enabled = true;
            check.State = CheckState.Pending;
            check.StateChangedAt = now;
            check.ConsecutiveFailures = 0;
            check.ConsecutiveSuccesses = 0;
            check.NextRunAt = now;
            await scope.Db.SaveChangesAsync(cancellationToken);
            await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        }

        TempData["Flash"] = $"“{check.Name}” is running again.";
        return Redirect($"/Checks/{id}");
    }
}
