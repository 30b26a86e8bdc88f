using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Evaluation;
using Watchtower.Probes;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// Runs one batch of checks: probe each (bounded concurrency), judge, write all results in one
/// save, and advance each check's state machine. The job's arguments are ids only, and it is
/// safe to run twice. Not retried by Hangfire: the dispatcher schedules the next run anyway.
/// </summary>
public sealed class ProbeBatchJob(
    WatchtowerDbContext db,
    ProbeRunner runner,
    TimeProvider time,
    IOptions<EngineOptions> options,
    ILogger<ProbeBatchJob> logger)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Probe batch of {0}")]
    public async Task RunAsync(int[] checkIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkIds);
        var checks = await db.Checks
            .Where(c => checkIds.Contains(c.Id) && c.Enabled)
            .ToListAsync(cancellationToken);
        if (checks.Count == 0)
        {
            return;
        }

        var outcomes = new (Check Check, ProbeResult Result)[checks.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, checks.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.ProbeConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var check = checks[i];
                outcomes[i] = (check, await runner.RunAsync(check.ToProbeRequest(), ct));
            });

        foreach (var (check, result) in outcomes)
        {
            Record(check, result);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // A check was deleted or edited while it ran. Keep the others' results.
            logger.LogInformation(ex, "Batch save conflicted; saving checks one by one");
            await SaveOneByOneAsync(outcomes, cancellationToken);
        }
    }

    private void Record(Check check, ProbeResult result)
    {
        var now = time.GetUtcNow();
        var verdict = CheckEvaluator.Evaluate(check, result, now);
        var at = result.StartedAt == default ? now : result.StartedAt;
        var message = CheckStateMachine.Truncate(verdict.Message, Check.MessageMaxLength);
        var latency = result.Success ? CheckEvaluator.Latency(result) : null;
        var certificate = result.Certificate;
        db.CheckResults.Add(new CheckResult
        {
            CheckId = check.Id,
            CheckedAt = at,
            Status = verdict.Status,
            Reason = result.Reason,
            Message = message,
            LatencyMs = latency,
            DnsMs = Milliseconds(result.Timings.Dns),
            ConnectMs = Milliseconds(result.Timings.Connect),
            TlsMs = Milliseconds(result.Timings.Tls),
            FirstByteMs = Milliseconds(result.Timings.FirstByte),
            CertificateSubject = Cap(certificate?.Subject, CheckResult.BannerMaxLength),
            CertificateIssuer = Cap(certificate?.Issuer, CheckResult.BannerMaxLength),
            CertificateNotAfter = certificate?.NotAfter,
            CertificateValid = certificate?.Valid,
            CertificateProblem = Cap(certificate is { Valid: false } ? certificate.Problem : null, Check.MessageMaxLength),
            TlsProtocol = Cap(result.TlsProtocol, 16),
            FactsJson = ResultFacts.ToJson(result),
            DurationMs = Milliseconds(result.Timings.Total) ?? 0,
            RemoteEndpoint = Cap(result.RemoteEndpoint, CheckResult.EndpointMaxLength),
            Banner = Cap(result.Banner, CheckResult.BannerMaxLength),
        });

        check.LastCheckedAt = at;
        check.LastLatencyMs = latency;
        check.LastReason = result.Reason;
        check.LastMessage = message;
        if (verdict.Status == CheckState.Down && check.RetryIntervalSeconds is { } retry)
        {
            // Confirm (or clear) a failure sooner than the normal interval.
            var sooner = now.AddSeconds(retry);
            if (sooner < check.NextRunAt)
            {
                check.NextRunAt = sooner;
            }
        }

        var change = CheckStateMachine.Apply(check, verdict, at);

        // The public page explains the check's state, not its latest run: while a failure is
        // being confirmed (still up) or a recovery is (still down), it keeps the sentence that
        // explains the state it shows.
        if (check.State == verdict.Status || check.LastPublicMessage is null)
        {
            check.LastPublicMessage = CheckStateMachine.Truncate(verdict.PublicMessage, Check.MessageMaxLength);
        }
        if (change is not null)
        {
            db.CheckStateChanges.Add(change);
            logger.LogInformation("Check {CheckId} went {From} → {To}: {Reason}", check.Id, change.From, change.To, change.Reason);
        }
    }

    private async Task SaveOneByOneAsync((Check Check, ProbeResult Result)[] outcomes, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        foreach (var (stale, result) in outcomes)
        {
            var check = await db.Checks.FirstOrDefaultAsync(c => c.Id == stale.Id && c.Enabled, cancellationToken);
            if (check is null)
            {
                continue;
            }

            Record(check, result);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex)
            {
                logger.LogInformation(ex, "Dropped the result of check {CheckId}: it changed while it ran", stale.Id);
            }

            db.ChangeTracker.Clear();
        }
    }

    private static int? Milliseconds(TimeSpan? span) =>
        span is { } value ? (int)Math.Min(int.MaxValue, Math.Round(value.TotalMilliseconds)) : null;

    private static string? Cap(string? text, int max) => text is null ? null : CheckStateMachine.Truncate(text, max);
}
