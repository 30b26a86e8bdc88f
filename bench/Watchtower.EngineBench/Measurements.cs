using System.Globalization;

namespace Watchtower.EngineBench;

/// <summary>One PASS/FAIL (or SKIP/ERROR) line per scenario.</summary>
public sealed record Outcome(string Scenario, string Verdict, string Detail)
{
    public string Line => $"{Scenario,-12} {Verdict,-5} {Detail}";
}

/// <summary>The numbers every scenario reports for its measured window.</summary>
public sealed record Measurements(
    DateTimeOffset From, DateTimeOffset End, Analysis.SlotReport Slots, double ResultsPerSecond, double Demand,
    double WorkerCpuMsPerCheck, double PostgresCpuMsPerCheck, long WorkerRssMax, long WorkerRssLast,
    double BytesPerResult, double HangfireBytesPerResult, StorageSizes Storage, Analysis.Burst Burst, long MaxQueuedJobs, long? MaxClaimedChecks, Analysis Analysis)
{
    /// <summary>
    /// Slots are judged when due in [from, end − interval − timeout − grace]; results/s counts starts in
    /// [from, end − timeout − grace) (all of them written by the end); CPU and RSS are over [from, end].
    /// </summary>
    public static async Task<Measurements> TakeAsync(ScenarioRun run, Analysis analysis, DateTimeOffset from, DateTimeOffset end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(analysis);
        var s = run.Settings;
        var cut = end - s.Interval - s.Timeout - s.Grace;
        var rateEnd = end - s.Timeout - s.Grace;
        var slots = analysis.Slots(from, cut);
        var sampler = run.Sampler!;
        var started = analysis.Count(from, end);
        var workerCpu = sampler.AppNames("worker-").Sum(n => sampler.AppCpuMs(n, from, end));
        var postgresCpu = sampler.PostgresCpuMs(from, end);
        var rss = sampler.AppNames("worker-").Select(n => sampler.AppRss(n, from, end)).ToList();
        var (perResult, hangfirePerResult, storage) = await run.StorageAsync(cancellationToken);
        var queue = sampler.Queue.Where(q => q.At >= from && q.At <= end).ToList();
        return new Measurements(from, end, slots, analysis.Rate(from, rateEnd), s.Demand,
            started == 0 ? double.NaN : workerCpu / started, started == 0 ? double.NaN : postgresCpu / started,
            rss.Count == 0 ? 0 : rss.Max(r => r.Max), rss.Count == 0 ? 0 : rss.Sum(r => r.Last),
            perResult, hangfirePerResult, storage, analysis.Bursts(from, rateEnd, s.LockstepWindow),
            queue.Count == 0 ? -1 : queue.Max(q => q.Queued), queue.Any(q => q.ClaimedChecks is not null) ? queue.Max(q => q.ClaimedChecks ?? 0) : null, analysis);
    }

    public void Print(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var window = (End - From).TotalSeconds;
        Console.WriteLine($"    window {ScenarioRun.Clock(From)}–{ScenarioRun.Clock(End)} ({window:0} s)");
        Console.WriteLine($"    results/s {ResultsPerSecond:0.0} (schedule asks {Demand:0.0}); start lag p50 {Slots.Lag(0.50):0.00} s, p95 {Slots.Lag(0.95):0.00} s, p99 {Slots.Lag(0.99):0.00} s, max {Slots.Lag(1):0.00} s");
        Console.WriteLine($"    missed runs {Slots.Missed:N0} of {Slots.Slots:N0} slots; duplicate results {Slots.Duplicates:N0}");
        foreach (var (check, due, starts) in Slots.DuplicateExamples)
        {
            Console.WriteLine($"      e.g. check {check}, slot due {Clock(due)}: runs started {string.Join(", ", starts.Select(Clock))}");
        }

        Console.WriteLine($"    CPU per check: Worker {Ms(WorkerCpuMsPerCheck)}, PostgreSQL {Ms(PostgresCpuMsPerCheck)}; Worker RSS max {Mb(WorkerRssMax)} (at end {Mb(WorkerRssLast)})");
        var layout = Storage.Partitioned ? $"partitioned, {Storage.Partitions} partitions" : "one table";
        Console.WriteLine($"    storage: {Bytes(BytesPerResult)} per result (results table + indexes, {layout}, {Storage.ResultRows:N0} rows), Hangfire {Bytes(HangfireBytesPerResult)} per result");
        Console.WriteLine($"    bursts: at most {Burst.Peak:N0} starts in {settings.LockstepWindow.TotalSeconds:0.#} s against a mean of {Burst.Mean:0.0} ({Burst.Ratio:0.0}×); Hangfire queue max {(MaxQueuedJobs < 0 ? "n/a" : MaxQueuedJobs.ToString("N0", CultureInfo.InvariantCulture))} jobs, checks in unfinished jobs max {(MaxClaimedChecks is { } c ? c.ToString("N0", CultureInfo.InvariantCulture) : "n/a")}");
    }

    private string Clock(double seconds) => Analysis.At(seconds).ToLocalTime().ToString("HH:mm:ss.f", CultureInfo.InvariantCulture);

    public static string Ms(double value) => double.IsNaN(value) ? "n/a" : $"{value:0.00} ms";

    public static string Mb(long bytes) => bytes <= 0 ? "n/a" : $"{bytes / 1048576.0:0} MB";

    public static string Bytes(double value) => double.IsNaN(value) ? "n/a" : $"{value:0} B";
}
