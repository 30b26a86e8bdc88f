using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.History;
using Watchtower.Monitoring.State;
using Watchtower.Monitoring.Tests.Engine;
using Watchtower.Probes;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.History;

/// <summary>
/// Rollups kept by the recorder, against figures worked out by hand (time-weighted states, the
/// 2×interval cap, a maintenance window across an hour boundary), a batch recorded twice, the
/// rebuild from raw results (equal to the live rows), and the pruning of old hourly rows.
/// </summary>
public abstract class RollupTests : EngineTestBase
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Day.AddHours(12));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override Action<IServiceCollection>? ConfigureServices => services => services.AddSingleton<TimeProvider>(clock);

    private static ProbeResult Run(DateTimeOffset at, int? connectMs) => connectMs is { } ms
        ? new ProbeResult { Success = true, Message = "Connected", StartedAt = at, Timings = new ProbeTimings { Connect = TimeSpan.FromMilliseconds(ms), Total = TimeSpan.FromMilliseconds(ms) } }
        : ProbeResult.Failed(FailureReason.Refused, "Connection refused") with { StartedAt = at };

    private static DateTimeOffset At(int hour, int minute, int second = 0) => Day.AddHours(hour).AddMinutes(minute).AddSeconds(second);

    /// <summary>Records runs as one batch does: one unit of work, history written, saved.</summary>
    private Task RecordAsync(int checkId, params ProbeResult[] runs) => RecordAsync(checkId, again: false, runs);

    /// <summary>
    /// Records runs already recorded once (a retried batch). Their raw result rows are not saved again:
    /// the results table's key (check, start time) refuses them, and the engine's lease never writes a
    /// run twice; what is under test is that the rollups do not count them twice.
    /// </summary>
    private Task RecordAgainAsync(int checkId, params ProbeResult[] runs) => RecordAsync(checkId, again: true, runs);

    private async Task RecordAsync(int checkId, bool again, params ProbeResult[] runs)
    {
        await using var scope = App.CreateScope(out var db);
        var recorder = scope.ServiceProvider.GetRequiredService<CheckRecorder>();
        var check = await db.Checks.SingleAsync(c => c.Id == checkId, Ct);
        foreach (var run in runs)
        {
            await recorder.RecordRunAsync(check, run, Ct);
        }

        await recorder.WriteHistoryAsync(Ct);
        if (again)
        {
            foreach (var entry in db.ChangeTracker.Entries<CheckResult>().ToList())
            {
                entry.State = EntityState.Detached;
            }
        }

        await db.SaveChangesAsync(Ct);
    }

    private async Task<Check> CheckWithMaintenanceAsync()
    {
        var check = await AddCheckAsync(9, Day);
        await ChangeAsync(check.Id, c => c.LatencyThresholdMs = 500); // 900 ms is degraded
        await using var scope = App.CreateScope(out var db);
        var page = new StatusPage { TeamId = TeamId, Name = "p", Slug = $"p-{Guid.NewGuid():N}"[..20], CreatedAt = Day, Checks = [new StatusPageCheck { CheckId = check.Id, SortOrder = 1 }] };
        db.StatusPages.Add(page);
        await db.SaveChangesAsync(Ct);
        db.Maintenances.Add(new Maintenance
        {
            TeamId = TeamId, StatusPageId = page.Id, Title = "Switch swap", TimeZone = "UTC", CreatedAt = Day,
            StartsAt = At(10, 58, 30), EndsAt = At(11, 1, 30), Components = [new MaintenanceComponent { CheckId = check.Id }],
        });
        await db.SaveChangesAsync(Ct);
        return check;
    }

    private static ProbeResult[] Morning() =>
    [
        Run(At(10, 0), 100), Run(At(10, 1), 200), Run(At(10, 2), null), Run(At(10, 3), null), Run(At(10, 4), 900), Run(At(10, 5), 100),
        Run(At(10, 30), 100), // 25 minutes of silence: the 10:05 run holds 2 minutes (2 × interval), the rest is unobserved
        Run(At(10, 59), null), Run(At(11, 0), null), Run(At(11, 1), 100), Run(At(11, 2), 100), // maintenance 10:58:30–11:01:30
    ];

    [Fact]
    public async Task Rollups_match_hand_computed_uptime_with_maintenance_and_a_batch_recorded_twice_adds_nothing()
    {
        var check = await CheckWithMaintenanceAsync();
        var runs = Morning();
        await RecordAsync(check.Id, runs[..6]);
        await RecordAsync(check.Id, runs[6..]);
        var first = await RowsAsync(check.Id);

        // The same batch again (a retried job), in one unit of work and in another.
        await RecordAgainAsync(check.Id, runs[6..]);
        await RecordAgainAsync(check.Id, runs[3], runs[10]);
        Assert.Equal(first, await RowsAsync(check.Id));

        var hours = await QueryAsync(db => db.HourlyRollups.AsNoTracking().Where(r => r.CheckId == check.Id).OrderBy(r => r.Start));
        Assert.Equal([At(10, 0), At(11, 0)], hours.Select(h => h.Start));
        // 10:00–10:05 a minute each (up, up, down, down, degraded), 10:05 up for 2 min (capped), 10:30 up 2 min,
        // 10:59 down for a minute, of which 10:59–11:00 is maintenance.
        Assert.Equal((4, 1, 3, 360_000L, 60_000L, 120_000L, 60_000L, 600_000L), Counts(hours[0]));
        // 11:00 down (maintenance, a minute), 11:01 up: 30 s maintenance, 30 s up.
        Assert.Equal((2, 0, 1, 30_000L, 0L, 0L, 90_000L, 120_000L), Counts(hours[1]));
        Assert.Equal((5, 1400L, 100, 900), (hours[0].LatencyCount, hours[0].LatencySumMs, hours[0].LatencyMinMs!.Value, hours[0].LatencyMaxMs!.Value));

        var day = Assert.Single(await QueryAsync(db => db.DailyRollups.AsNoTracking().Where(r => r.CheckId == check.Id)));
        Assert.Equal((6, 1, 4, 390_000L, 60_000L, 120_000L, 150_000L, 720_000L), Counts(day));

        // Uptime = up (degraded counts as up) ÷ (observed − maintenance) = 450 s ÷ 570 s.
        await using var scope = App.CreateScope(out _);
        var uptime = scope.ServiceProvider.GetRequiredService<Uptime>();
        var history = (await uptime.ForChecksAsync([check.Id], withLatency: true, Ct))[check.Id];
        Assert.Equal(450.0 / 570 * 100, history.Uptime.Quarter.Percent!.Value, 9);
        Assert.Equal("78.94%", Uptime.Format(history.Uptime.Quarter.Percent));
        Assert.Equal("78.94%", Uptime.Format(history.Uptime.Day.Percent)); // now is 12:00 the same day
        var bar = history.Days[^1];
        Assert.Equal((DateOnly.FromDateTime(Day.UtcDateTime), DayState.Down, 2), (bar.Day, bar.State, bar.DowntimeMinutes));
        Assert.Equal(DayState.NoData, history.Days[^2].State);
        Assert.Equal(90, history.Days.Count);
        var ten = history.Latency.Day.Single(p => p.Start == At(10, 0));
        Assert.Equal((280, 100, 900), (ten.AvgMs!.Value, ten.MinMs!.Value, ten.MaxMs!.Value));
        Assert.Equal(900, ten.P95Ms); // the top of 5 samples
        Assert.Equal(24, history.Latency.Day.Count);
        Assert.Equal(168, history.Latency.Week.Count);
        Assert.Equal(30, history.Latency.Month.Count);

        var page = await uptime.ForPageAsync(await QueryAsync(db => db.StatusPageChecks.Where(pc => pc.CheckId == check.Id).Select(pc => pc.StatusPageId)).ContinueWith(t => t.Result.Single(), Ct), Ct);
        Assert.Equal("78.94%", Uptime.Format(page.Uptime.Month.Percent));
    }

    [Fact]
    public async Task Rebuild_from_raw_results_equals_the_live_rollups()
    {
        var check = await CheckWithMaintenanceAsync();
        var other = await AddCheckAsync(10, Day, intervalSeconds: 300);
        await RecordAsync(check.Id, Morning());
        // Across midnight, with the state holding into the next day, and a second check.
        await RecordAsync(check.Id, Run(At(23, 58, 15), null), Run(At(23, 59, 45), 50), Run(At(24, 0, 30), 70), Run(At(24, 1, 30), null), Run(At(24, 3, 0), 80));
        for (var i = 0; i < 40; i++)
        {
            await RecordAsync(other.Id, Run(At(22, 0).AddSeconds(300 * i + (i % 3)), i % 7 == 0 ? null : 10 + i));
        }

        clock.SetUtcNow(Day.AddDays(1).AddHours(5));
        var live = (await RowsAsync(check.Id), await RowsAsync(other.Id), await CursorsAsync());
        Assert.NotEmpty(live.Item1);

        await using (var scope = App.CreateScope(out _))
        {
            var report = await scope.ServiceProvider.GetRequiredService<RollupRebuild>().RebuildAsync(null, null, Ct);
            Assert.Equal(2, report.Checks);
        }

        Assert.Equal(live.Item1, await RowsAsync(check.Id));
        Assert.Equal(live.Item2, await RowsAsync(other.Id));
        Assert.Equal(live.Item3, await CursorsAsync());

        // Only the last day: rows of the day before stay as they were, the state holding into it is seeded from the run before.
        await using (var scope = App.CreateScope(out var db))
        {
            await db.HourlyRollups.Where(r => r.Start >= Day.AddDays(1)).ExecuteUpdateAsync(s => s.SetProperty(r => r.UpMs, 1), Ct);
            await db.DailyRollups.Where(r => r.Start >= Day.AddDays(1)).ExecuteUpdateAsync(s => s.SetProperty(r => r.UpMs, 1), Ct);
            await scope.ServiceProvider.GetRequiredService<RollupRebuild>().RebuildAsync(1, null, Ct);
        }

        Assert.Equal(live.Item1, await RowsAsync(check.Id));
        Assert.Equal(live.Item2, await RowsAsync(other.Id));
        Assert.Equal(live.Item3, await CursorsAsync());
    }

    [Fact]
    public async Task Pruning_deletes_hourly_rows_older_than_90_days_in_batches_and_keeps_daily_rows()
    {
        var check = await AddCheckAsync(9, Day);
        var now = clock.GetUtcNow();
        await using (var scope = App.CreateScope(out var db))
        {
            for (var i = 0; i < 7; i++)
            {
                db.HourlyRollups.Add(new CheckHourlyRollup { CheckId = check.Id, Start = RollupMath.HourOf(now.AddDays(-91)).AddHours(i), UpMs = 1 });
                db.DailyRollups.Add(new CheckDailyRollup { CheckId = check.Id, Start = RollupMath.DayOf(now.AddDays(-400 + i)), UpMs = 1 });
            }

            db.HourlyRollups.Add(new CheckHourlyRollup { CheckId = check.Id, Start = RollupMath.HourOf(now.AddDays(-89)), UpMs = 2 });
            await db.SaveChangesAsync(Ct);
        }

        var retention = App.Services.GetRequiredService<RollupRetention>();
        Assert.Equal(7, await retention.DeleteExpiredAsync(batchSize: 3, Ct)); // batches of 3, 3, 1
        Assert.Equal(0, await retention.DeleteExpiredAsync(batchSize: 3, Ct));
        Assert.Equal([2L], (await QueryAsync(db => db.HourlyRollups.Where(r => r.CheckId == check.Id))).Select(r => r.UpMs));
        Assert.Equal(7, (await QueryAsync(db => db.DailyRollups.Where(r => r.CheckId == check.Id))).Count);
    }

    private static (int, int, int, long, long, long, long, long) Counts(CheckRollup r) =>
        (r.RunsUp, r.RunsDegraded, r.RunsDown, r.UpMs, r.DegradedMs, r.DownMs, r.MaintenanceMs, r.ObservedMs);

    /// <summary>Every rollup row of a check, as comparable text.</summary>
    private async Task<List<string>> RowsAsync(int checkId)
    {
        static string Text(string kind, CheckRollup r) =>
            $"{kind} {r.Start:O} {Counts(r)} {r.LatencyCount} {r.LatencySumMs} {r.LatencyMinMs} {r.LatencyMaxMs} [{string.Join(",", r.LatencyBuckets)}]";
        var hours = await QueryAsync(db => db.HourlyRollups.AsNoTracking().Where(r => r.CheckId == checkId).OrderBy(r => r.Start));
        var days = await QueryAsync(db => db.DailyRollups.AsNoTracking().Where(r => r.CheckId == checkId).OrderBy(r => r.Start));
        return [.. hours.Select(h => Text("hour", h)), .. days.Select(d => Text("day", d))];
    }

    private async Task<string> CursorsAsync() =>
        string.Join("; ", (await QueryAsync(db => db.RollupCursors.AsNoTracking().OrderBy(c => c.CheckId))).Select(c => $"{c.CheckId} {c.LastAt:O} {c.LastStatus}"));
}

public sealed class RollupTests_Sqlite : RollupTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class RollupTests_Postgres : RollupTests
{
    protected override TestStore Store => TestStore.Postgres;
}
