using System.Globalization;
using Npgsql;

namespace Watchtower.EngineBench;

public sealed record BenchContext(BenchSettings Settings, PostgresServer Postgres, TargetFarm Farm, AppPaths Paths, string OutDirectory, SchemaNames Names);

/// <summary>
/// The scenarios (docs/benchmarks.md, section "Engine"). Each starts from a fresh
/// database, runs real processes against the loopback targets and ends in one PASS/FAIL line.
/// </summary>
public static class Scenarios
{
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(3);

    public static Task<Outcome> RunAsync(string name, BenchContext context, CancellationToken cancellationToken) => name switch
    {
        "steady" => SteadyAsync(context, cancellationToken),
        "pg-restart" => PostgresRestartAsync(context, cancellationToken),
        "kill9" => KillNineAsync(context, cancellationToken),
        "no-worker" => PauseAsync(context, webDispatching: true, cancellationToken),
        "outage" => PauseAsync(context, webDispatching: false, cancellationToken),
        "two-workers" => TwoWorkersAsync(context, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown scenario"),
    };

    private sealed class Criteria
    {
        private readonly List<(bool Ok, string Text)> items = [];

        public void Add(bool ok, string text) => items.Add((ok, text));

        public void Info(string text) => items.Add((true, text));

        public Outcome Outcome(string scenario) =>
            new(scenario, items.All(i => i.Ok) ? "PASS" : "FAIL", string.Join("; ", items.Select(i => i.Ok ? i.Text : $"{i.Text} [FAILED]")));
    }

    private static async Task<ScenarioRun> BeginAsync(string name, BenchContext context, int workers, bool? webDispatching, CancellationToken cancellationToken)
    {
        var s = context.Settings;
        var run = await ScenarioRun.CreateAsync(name, s, context.Postgres, context.Farm, context.Paths, context.OutDirectory, context.Names, cancellationToken);
        try
        {
            // The first Worker migrates the new database (the app's own migrator); the rest start after it.
            await run.StartWorkerAsync(waitReady: true, cancellationToken);
            for (var i = 1; i < workers; i++)
            {
                await run.StartWorkerAsync(waitReady: true, cancellationToken);
            }

            if (webDispatching is { } dispatch)
            {
                await run.StartWebAsync(dispatch, cancellationToken);
            }

            run.Log($"{workers} Worker(s){(webDispatching is { } d ? $" and a Web host ({(d ? "dispatching" : "not dispatching")})" : "")} ready");
            await run.SeedAsync(cancellationToken);
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    private static async Task<Measurements> MeasureAsync(ScenarioRun run, Analysis analysis, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var measurements = await Measurements.TakeAsync(run, analysis, run.WindowStart, end, cancellationToken);
        measurements.Print(run.Settings);
        return measurements;
    }

    private static string F(double value, string format = "0.0") => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    // ── steady ────────────────────────────────────────────────────────────────────────────────

    /// <summary>The engine at N checks for the run's duration; judged against the issue's targets.</summary>
    private static async Task<Outcome> SteadyAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var s = context.Settings;
        await using var run = await BeginAsync("steady", context, s.Workers, s.WebInSteady == true ? false : null, cancellationToken);
        await using var web = s.WebInSteady == true ? await WebPoller.StartAsync(run.Running("web-")[0].BaseAddress, s.PublicPoll, s.DashboardPoll, cancellationToken) : null;
        await run.StartScheduleAsync(Lead, cancellationToken);
        var end = run.FirstSlot + s.Duration;
        await ScenarioRun.UntilAsync(end, cancellationToken);
        if (web is not null)
        {
            await web.DisposeAsync();
        }

        var analysis = await run.FinishAsync(cancellationToken);
        var m = await MeasureAsync(run, analysis, end, cancellationToken);
        var c = new Criteria();
        c.Add(m.Slots.Lag(0.99) <= 2, $"lag p99 {F(m.Slots.Lag(0.99), "0.00")} s (≤ 2 s)");
        c.Add(m.Slots.Missed == 0, $"missed {m.Slots.Missed:N0} (0)");
        c.Add(m.Slots.Duplicates == 0, $"duplicates {m.Slots.Duplicates:N0} (0)");
        c.Info($"results/s {F(m.ResultsPerSecond)} of {F(m.Demand)}");
        c.Add(m.BytesPerResult <= 100, $"{F(m.BytesPerResult, "0")} B/result (≤ 100)");
        c.Add(m.HangfireBytesPerResult <= 10, $"Hangfire {F(m.HangfireBytesPerResult, "0")} B/result (≤ 10)");
        c.Info($"CPU/check Worker {F(m.WorkerCpuMsPerCheck, "0.00")} ms + PostgreSQL {F(m.PostgresCpuMsPerCheck, "0.00")} ms");
        if (web is not null)
        {
            c.Add(web.ServerErrors == 0, $"web {web.Summary()}");
        }

        return c.Outcome("steady");
    }

    // ── pg-restart ────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// pg_ctl restart -m fast in the middle of the window, with a Worker probing and a Web host
    /// (not dispatching) serving the public page and the dashboard to pollers.
    /// </summary>
    private static async Task<Outcome> PostgresRestartAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var s = context.Settings;
        if (!context.Postgres.CanRestart)
        {
            return new Outcome("pg-restart", "SKIP", "this PostgreSQL cannot be restarted by the harness (use the private cluster, or pg-datadir= with a local server)");
        }

        await using var run = await BeginAsync("pg-restart", context, s.Workers, webDispatching: false, cancellationToken);
        await using var web = await WebPoller.StartAsync(run.Running("web-")[0].BaseAddress, s.PublicPoll, s.DashboardPoll, cancellationToken);
        await run.StartScheduleAsync(Lead, cancellationToken);
        var judgeable = s.Interval + s.Timeout + s.Grace;
        var plannedEnd = run.FirstSlot + s.Duration;
        var restartAt = run.WindowStart + Max(TimeSpan.FromSeconds(5), (plannedEnd - judgeable - run.WindowStart) / 2);
        var end = Max(plannedEnd, restartAt + judgeable + TimeSpan.FromSeconds(15));
        await ScenarioRun.UntilAsync(restartAt, cancellationToken);
        run.Log("pg_ctl restart -m fast");
        var (down, up) = await context.Postgres.RestartAsync(cancellationToken);
        run.Log($"PostgreSQL back after {(up - down).TotalSeconds:0.0} s");
        await ScenarioRun.UntilAsync(end, cancellationToken);
        await web.DisposeAsync();
        var analysis = await run.FinishAsync(cancellationToken);
        var m = await MeasureAsync(run, analysis, end, cancellationToken);

        var firstAfter = analysis.FirstRunAfter(up).DefaultIfEmpty(double.PositiveInfinity).Min();
        var affected = m.Slots.MissedDue.Count(due => analysis.At(due) >= down - s.Interval - s.Timeout && analysis.At(due) <= up);
        Console.WriteLine($"    outage {(up - down).TotalSeconds:0.0} s ({ScenarioRun.Clock(down)}–{ScenarioRun.Clock(up)}); first result started {F(firstAfter)} s after PostgreSQL was back; " +
                          $"missed slots due within [outage start − interval − timeout, outage end]: {affected:N0}, elsewhere: {m.Slots.Missed - affected:N0}");
        Console.WriteLine($"    web: {web.Summary()}");
        foreach (var failure in web.Failures.Take(5))
        {
            Console.WriteLine($"      {ScenarioRun.Clock(failure.At)} {failure.Page} → {failure.Code}");
        }

        var c = new Criteria();
        c.Info($"outage {(up - down).TotalSeconds:0.0} s");
        c.Add(firstAfter <= s.ResumeLimit.TotalSeconds, $"results resumed {F(firstAfter)} s after (≤ {s.ResumeLimit.TotalSeconds:0} s)");
        c.Add(m.Slots.Missed == 0, $"lost runs {m.Slots.Missed:N0} (0; {affected:N0} around the outage)");
        c.Add(m.Slots.Duplicates == 0, $"duplicates {m.Slots.Duplicates:N0} (0)");
        c.Add(web.ServerErrors == 0, $"web 5xx/no answer {web.ServerErrors:N0} (0): {web.Summary()}");
        return c.Outcome("pg-restart");
    }

    // ── kill9 ─────────────────────────────────────────────────────────────────────────────────

    /// <summary>SIGKILL the Worker while batches are in flight, start a new one at once, and watch long enough to see re-delivered jobs.</summary>
    private static async Task<Outcome> KillNineAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var s = context.Settings;
        await using var run = await BeginAsync("kill9", context, s.Workers, webDispatching: null, cancellationToken);
        await run.StartScheduleAsync(Lead, cancellationToken);
        await ScenarioRun.UntilAsync(run.WindowStart + TimeSpan.FromSeconds(10), cancellationToken);
        var victim = run.Running("worker-")[0];
        var inFlight = await WaitForBatchesInFlightAsync(run.Db, TimeSpan.FromSeconds(30), cancellationToken);
        victim.KillNow();
        var killedAt = DateTimeOffset.UtcNow;
        run.Log($"kill -9 {victim.Name} (pid {victim.Pid}) with {inFlight}; starting a new Worker");
        var replacement = await run.StartWorkerAsync(waitReady: true, cancellationToken);
        run.Log($"{replacement.Name} ready {(replacement.ReadyAt!.Value - killedAt).TotalSeconds:0.0} s after the kill");
        var end = Max(run.FirstSlot + s.Duration, killedAt + s.AfterKill);
        await ScenarioRun.UntilAsync(end, cancellationToken);
        var analysis = await run.FinishAsync(cancellationToken);
        var m = await MeasureAsync(run, analysis, end, cancellationToken);

        var limit = (s.Interval + s.Timeout).TotalSeconds;
        var fresh = analysis.FirstRunAfter(killedAt);
        var stale = fresh.Count(d => d > limit);
        var slowest = fresh.DefaultIfEmpty(double.PositiveInfinity).Max();
        Console.WriteLine($"    fresh result after the kill: {fresh.Length - stale:N0} of {fresh.Length:N0} checks within {limit:0} s; slowest {F(slowest)} s");
        Console.WriteLine($"    duplicates by time after the kill: {ByMinute(m.Slots.DuplicateStarts.Select(t => analysis.At(t) - killedAt))}");
        Console.WriteLine($"    missed slots by time after the kill: {ByMinute(m.Slots.MissedDue.Select(t => analysis.At(t) - killedAt))}");

        var c = new Criteria();
        c.Info($"killed with {inFlight}");
        c.Add(stale == 0, $"checks without a fresh result within interval + timeout ({limit:0} s) {stale:N0} (0), slowest {F(slowest)} s");
        c.Add(m.Slots.Duplicates == 0, $"duplicates {m.Slots.Duplicates:N0} (0)");
        c.Add(m.Slots.Missed == 0, $"lost runs {m.Slots.Missed:N0} (0: a killed run may be late, not lost)");
        c.Info($"watched {(end - killedAt).TotalMinutes:0.#} min after the kill");
        return c.Outcome("kill9");
    }

    /// <summary>Waits (up to <paramref name="patience"/>) until Hangfire shows a job processing; says what was in flight.</summary>
    private static async Task<string> WaitForBatchesInFlightAsync(Database database, TimeSpan patience, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var reader = new Database.QueueReader(database, connection);
            while (true)
            {
                var sample = await reader.ReadAsync(cancellationToken);
                if (sample.Processing < 0)
                {
                    return "batches in flight unknown (no Hangfire tables)";
                }

                if (sample.Processing > 0 || DateTimeOffset.UtcNow > deadline)
                {
                    return $"{sample.Processing} batch job(s) processing, {sample.Queued} queued, {(sample.ClaimedChecks is { } c ? $"{c:N0}" : "n/a")} checks in unfinished jobs, " +
                           $"{(sample.LeasedChecks is { } l ? $"{l:N0}" : "n/a")} checks leased (probes in flight or about to start)";
                }

                await Task.Delay(20, cancellationToken);
            }
        }
        catch (NpgsqlException ex)
        {
            return $"batches in flight unknown ({ex.Message})";
        }
    }

    // ── no-worker / outage ────────────────────────────────────────────────────────────────────

    /// <summary>
    /// no-worker: every Worker stops (SIGTERM) for the pause while a Web host keeps dispatching; then a
    /// Worker returns. outage: the same with no Web host, so nothing dispatches during the pause.
    /// </summary>
    private static async Task<Outcome> PauseAsync(BenchContext context, bool webDispatching, CancellationToken cancellationToken)
    {
        var s = context.Settings;
        var name = webDispatching ? "no-worker" : "outage";
        await using var run = await BeginAsync(name, context, s.Workers, webDispatching ? true : null, cancellationToken);
        await run.StartScheduleAsync(Lead, cancellationToken);
        await ScenarioRun.UntilAsync(run.WindowStart + TimeSpan.FromSeconds(10), cancellationToken);
        var pausedAt = DateTimeOffset.UtcNow;
        run.Log($"stopping every Worker (SIGTERM) for {s.Pause.TotalMinutes:0.#} min{(webDispatching ? "; the Web host keeps dispatching" : "; nothing dispatches")}");
        await Task.WhenAll(run.Running("worker-").Select(w => w.StopAsync(TimeSpan.FromSeconds(45))));
        var stoppedAt = DateTimeOffset.UtcNow;
        await ScenarioRun.UntilAsync(pausedAt + s.Pause, cancellationToken);
        var returnedAt = DateTimeOffset.UtcNow;
        var queueAtReturn = run.Sampler!.LatestQueue;
        AppProcess? back = null;
        for (var i = 0; i < s.Workers; i++)
        {
            back = await run.StartWorkerAsync(waitReady: i == s.Workers - 1, cancellationToken);
        }

        // Runs after the return are counted from when the Worker was ready, not from when it was started.
        var readyAt = back?.ReadyAt ?? returnedAt;
        run.Log($"Worker(s) back, ready {(readyAt - returnedAt).TotalSeconds:0.0} s after the start");
        var end = Max(run.FirstSlot + s.Duration, returnedAt + s.AfterReturn);
        await ScenarioRun.UntilAsync(end, cancellationToken);
        var analysis = await run.FinishAsync(cancellationToken);
        var m = await MeasureAsync(run, analysis, end, cancellationToken);

        // The queue while no Worker ran: bounded means it stopped growing (second half ≤ first half).
        var pause = run.Sampler.Queue.Where(q => q.At >= stoppedAt && q.At <= returnedAt && q.Queued >= 0).ToList();
        var middle = stoppedAt + (returnedAt - stoppedAt) / 2;
        long MaxOf(IEnumerable<QueueSample> samples, Func<QueueSample, long> value) => samples.Select(value).DefaultIfEmpty(0).Max();
        var firstHalf = MaxOf(pause.Where(q => q.At < middle), q => q.Queued);
        var secondHalf = MaxOf(pause.Where(q => q.At >= middle), q => q.Queued);
        var claimed = pause.Any(q => q.ClaimedChecks is not null) ? MaxOf(pause, q => q.ClaimedChecks ?? 0).ToString("N0", CultureInfo.InvariantCulture) : "n/a";
        var leased = pause.Any(q => q.LeasedChecks is not null) ? MaxOf(pause, q => q.LeasedChecks ?? 0).ToString("N0", CultureInfo.InvariantCulture) : "n/a";
        var bounded = pause.Count == 0 || secondHalf <= firstHalf * 1.05 + 1;
        Console.WriteLine($"    during the pause: queued jobs max {firstHalf:N0} in the first half, {secondHalf:N0} in the second; at return {queueAtReturn?.Queued.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a"}; " +
                          $"checks in unfinished jobs max {claimed}; checks holding a lease max {leased}");

        // On return: at most one catch-up run per check, none twice in a slot, and no lock-step.
        var firstInterval = analysis.RunsPerCheck(readyAt, readyAt + s.Interval);
        var mostRuns = firstInterval.Keys.DefaultIfEmpty(0).Max();
        var afterReturn = analysis.Slots(returnedAt - s.Interval, end - s.Interval - s.Timeout - s.Grace);
        var rateEnd = end - s.Timeout - s.Grace;
        var burst = analysis.Bursts(readyAt, rateEnd, s.LockstepWindow);
        var later = analysis.Bursts(readyAt + s.Interval, rateEnd, s.LockstepWindow);
        Console.WriteLine($"    runs per check in the first interval after return: {string.Join(", ", firstInterval.Select(kv => $"{kv.Key}×: {kv.Value:N0}"))}");
        foreach (var (check, due, starts) in afterReturn.DuplicateExamples)
        {
            Console.WriteLine($"      duplicate e.g. check {check}, slot due {Offset(analysis.At(due) - returnedAt)} from return: runs started {string.Join(", ", starts.Select(t => Offset(analysis.At(t) - returnedAt)))}");
        }

        Console.WriteLine($"    after return: {burst.Peak:N0} starts at most in {s.LockstepWindow.TotalSeconds:0.#} s (at {ScenarioRun.Clock(burst.PeakAt)}) against a mean of {burst.Mean:0.0} ({burst.Ratio:0.0}×); " +
                          $"from one interval after return on: {later.Peak:N0} against {later.Mean:0.0} ({later.Ratio:0.0}×)");

        var c = new Criteria();
        if (webDispatching)
        {
            c.Add(bounded, $"queue bounded: max {firstHalf:N0} jobs in the pause's first half, {secondHalf:N0} in its second; checks in unfinished jobs max {claimed}");
        }

        c.Add(mostRuns <= 2, $"most runs of one check in the first interval after return {mostRuns} (≤ 2: one catch-up + its own slot)");
        c.Add(afterReturn.Duplicates == 0, $"duplicates after return {afterReturn.Duplicates:N0} (0)");
        c.Add(burst.Ratio <= s.LockstepFactor, $"lock-step after return: peak {burst.Peak:N0}/{s.LockstepWindow.TotalSeconds:0.#} s = {burst.Ratio:0.0}× the mean (≤ {s.LockstepFactor:0.#}×), one interval later {later.Ratio:0.0}×");
        c.Info($"missed {m.Slots.Missed:N0} (the pause's slots, not judged)");
        return c.Outcome(name);
    }

    // ── two-workers ───────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// One Worker for the first half, a second one joins for the second half. Where one Worker keeps
    /// up, "adds" can only mean the second one takes a real share while the schedule is still met;
    /// where one falls behind (raise checks=), the second must raise results/s.
    /// </summary>
    private static async Task<Outcome> TwoWorkersAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var s = context.Settings;
        await using var run = await BeginAsync("two-workers", context, 1, webDispatching: null, cancellationToken);
        await run.StartScheduleAsync(Lead, cancellationToken);
        var judgeable = s.Interval + s.Timeout + s.Grace;
        var plannedEnd = run.FirstSlot + s.Duration;
        var joinAt = run.WindowStart + Max(s.Interval, (plannedEnd - run.WindowStart) / 2);
        await ScenarioRun.UntilAsync(joinAt, cancellationToken);
        var lastJobBefore = await run.Db.MaxJobIdAsync(cancellationToken);
        var second = await run.StartWorkerAsync(waitReady: true, cancellationToken);
        var joined = second.ReadyAt!.Value;
        run.Log($"{second.Name} joined");
        var end = Max(plannedEnd, joined + s.Interval + judgeable);
        await ScenarioRun.UntilAsync(end, cancellationToken);
        var analysis = await run.FinishAsync(cancellationToken);
        var m = await MeasureAsync(run, analysis, end, cancellationToken);

        var rateEnd = end - s.Timeout - s.Grace;
        var one = analysis.Rate(run.WindowStart, joinAt);
        var two = analysis.Rate(joined, rateEnd);
        var lagOne = analysis.Slots(run.WindowStart, joinAt - s.Interval);
        var lagTwo = analysis.Slots(joined, end - judgeable);
        // The second Worker's share: of the batch jobs started after it joined (Hangfire's Processing
        // states name the process), else of Worker CPU (which also holds its start-up work).
        var cpu = run.Sampler!.AppNames("worker-").ToDictionary(n => n, n => run.Sampler.AppCpuMs(n, joined, end));
        var cpuShare = cpu.Values.Sum() is var total && total > 0 ? cpu.GetValueOrDefault(second.Name) / total : double.NaN;
        var jobs = lastJobBefore is { } after ? await run.Db.JobsStartedPerProcessAsync(after, cancellationToken) : null;
        var jobShare = jobs is { Count: > 0 } ? jobs.GetValueOrDefault(second.Pid) / (double)jobs.Values.Sum() : double.NaN;
        var share = double.IsNaN(jobShare) ? cpuShare : jobShare;
        var shareOf = double.IsNaN(jobShare) ? "Worker CPU" : "batch jobs";
        Console.WriteLine($"    one Worker: {F(one)} results/s, lag p99 {F(lagOne.Lag(0.99), "0.00")} s; two Workers: {F(two)} results/s, lag p99 {F(lagTwo.Lag(0.99), "0.00")} s; schedule asks {F(s.Demand)}");
        Console.WriteLine($"    after the second joined: CPU {string.Join(", ", cpu.Select(kv => $"{kv.Key} {kv.Value / 1000:0.0} s"))}; " +
                          $"batch jobs started {(jobs is null ? "n/a" : string.Join(", ", jobs.Select(kv => $"pid {kv.Key}: {kv.Value:N0}")))}");

        var c = new Criteria();
        var keptUp = one >= 0.98 * s.Demand;
        if (keptUp)
        {
            c.Add(two >= 0.98 * s.Demand, $"results/s {F(one)} → {F(two)} (one Worker kept up; two must too: ≥ {F(0.98 * s.Demand)})");
            c.Add(share >= 0.25, $"second Worker's share of {shareOf} {F(share * 100, "0")} % (≥ 25 %)");
        }
        else
        {
            var want = Math.Min(0.98 * s.Demand, 1.25 * one);
            c.Add(two >= want, $"results/s {F(one)} → {F(two)} (one Worker fell behind; two must reach ≥ {F(want)})");
            c.Info($"second Worker's share of {shareOf} {F(share * 100, "0")} %");
        }

        c.Add(m.Slots.Duplicates == 0, $"duplicates {m.Slots.Duplicates:N0} (0)");
        c.Info($"missed {m.Slots.Missed:N0}");
        return c.Outcome("two-workers");
    }

    private static string Offset(TimeSpan span) => $"{(span < TimeSpan.Zero ? "−" : "+")}{Math.Abs(span.TotalSeconds):0.0} s";

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>"none" or "0–1 min: 12, 5–6 min: 66".</summary>
    private static string ByMinute(IEnumerable<TimeSpan> offsets)
    {
        var groups = offsets.GroupBy(o => (int)Math.Floor(o.TotalMinutes)).OrderBy(g => g.Key).Select(g => $"{g.Key}–{g.Key + 1} min: {g.Count():N0}").ToList();
        return groups.Count == 0 ? "none" : string.Join(", ", groups);
    }
}
