using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Probes;
using Watchtower.Web.Checks;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Checks;

public sealed class DetailsModel(TeamScope scope, CheckService checks, Watchtower.Web.Alerts.ChannelService channels, TimeProvider time) : PageModel
{
    /// <summary>One recent run: its verdict, and its message when it was not up.</summary>
    public sealed record Run(DateTimeOffset At, CheckState Status, FailureReason Reason, int? LatencyMs, string? Message);

    /// <summary>A state change, with the facts of the run that caused it (null for a pause, resume or restart).</summary>
    public sealed record Change(CheckStateChange Row, ProbeResult? Facts);

    public Check? Check { get; private set; }
    public IReadOnlyList<Run> Results { get; private set; } = [];
    public IReadOnlyList<Change> Changes { get; private set; } = [];

    /// <summary>The account's pages, and whether each shows this check.</summary>
    public IReadOnlyList<(StatusPage Page, bool Shown)> Pages { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>The check's alert deliveries, newest first (the delivery log per check).</summary>
    public IReadOnlyList<Watchtower.Web.Alerts.ChannelService.LogRow> Alerts { get; private set; } = [];

    /// <summary>The latest run read back as the facts it measured (reason, timings, address, what the service said, kind facts).</summary>
    public ProbeResult? Latest { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Check = await scope.Checks.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (Check is null)
        {
            return NotFound();
        }

        Now = time.GetUtcNow();
        var messages = scope.Db.ResultMessages;
        Results = await scope.ResultsOf(id).OrderByDescending(r => r.CheckedAt).Take(50)
            .Select(r => new Run(r.CheckedAt, r.Status, r.Reason, r.LatencyMs, messages.Where(m => m.Id == r.MessageId).Select(m => m.Text).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        Latest = Check.LastCheckedAt is { } last
            ? ResultFacts.ToProbeResult(Check.LastFacts, Check.LastMessage ?? "", last, Check.LastReason)
            : null;
        var changes = await scope.Db.CheckStateChanges.AsNoTracking().Where(s => s.CheckId == id)
            .OrderByDescending(s => s.At).Take(20).ToListAsync(cancellationToken);
        Changes = changes.ConvertAll(s => new Change(s, s.Facts is null ? null : FactsOf(s)));
        var pages = await scope.Pages.AsNoTracking().OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new { Page = p, Shown = p.Checks.Any(pc => pc.CheckId == id) }).ToListAsync(cancellationToken);
        Pages = pages.ConvertAll(p => (p.Page, p.Shown));
        Alerts = await channels.LogAsync(null, id, 50, cancellationToken);
        return Page();
    }

    private static ProbeResult FactsOf(CheckStateChange change) =>
        ResultFacts.ToProbeResult(change.Facts, change.Reason, change.At, ResultFacts.Parse(change.Facts)?.Reason ?? FailureReason.None);

    /// <summary>Pause stops runs at once; the state shows Paused everywhere, including public pages.</summary>
    public async Task<IActionResult> OnPostPauseAsync(int id, CancellationToken cancellationToken) =>
        Changed(id, await checks.PauseAsync(id, cancellationToken), "is paused");

    public async Task<IActionResult> OnPostResumeAsync(int id, CancellationToken cancellationToken) =>
        Changed(id, await checks.ResumeAsync(id, cancellationToken), "is running again");

    private IActionResult Changed(int id, Check? check, string what)
    {
        if (check is null)
        {
            return NotFound();
        }

        TempData["Flash"] = $"“{check.Name}” {what}.";
        return RedirectToPage(new { id });
    }

    /// <summary>Shows the check on one of the account's status pages, or stops showing it there.</summary>
    public async Task<IActionResult> OnPostPageAsync(int id, int pageId, bool shown, CancellationToken cancellationToken)
    {
        if (!await checks.ShowOnPageAsync(id, pageId, shown, cancellationToken))
        {
            return NotFound();
        }

        TempData["Flash"] = shown ? "The check is now on that status page." : "The check is no longer on that status page.";
        return RedirectToPage(new { id });
    }
}
