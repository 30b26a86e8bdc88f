using Microsoft.EntityFrameworkCore;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Engine;

/// <summary>
/// The whole engine (dispatcher, Hangfire on PostgreSQL, probe engine, results writer) on a PostgreSQL
/// server of the test's own, restarted while checks run: results resume within seconds of the
/// server's return, no check loses its schedule, and no run is written twice.
/// (bench/Watchtower.EngineBench --scenario pg-restart runs the same at thousands of checks.)
/// </summary>
public sealed class DatabaseRestartTests : EngineTestBase
{
    private const int Interval = 10;

    protected override TestStore Store => TestStore.Postgres;

    protected override bool RunEngine => true;

    protected override bool OwnPostgresServer => true;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Watchtower:Engine:DispatchInterval"] = "00:00:00.500",
        ["Watchtower:Engine:BatchSize"] = "5",
        ["Watchtower:Engine:LeaseMargin"] = "00:00:02",
        ["Watchtower:Engine:CatchUpAfter"] = "00:01:00",
    };

    [Fact]
    public async Task After_a_database_restart_results_resume_within_seconds_with_no_run_lost_or_written_twice()
    {
        await using var listener = new LoopbackListener();
        var now = DateTimeOffset.UtcNow;
        var ids = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await AddCheckAsync(listener.Port, now, intervalSeconds: Interval, timeoutSeconds: 2)).Id);
        }

        await WaitUntilAsync(async () => await CountAsync(c => ids.Contains(c.Id) && c.LastCheckedAt != null) == ids.Count, TimeSpan.FromSeconds(60), "every check's first run");
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(Interval), TestContext.Current.CancellationToken); // a whole interval of steady runs first

        await Server!.RestartAsync(TestContext.Current.CancellationToken);
        var back = DateTimeOffset.UtcNow;

        // Every check runs again (a result started after the server came back) within one interval
        // plus 10 s; the pools' dead connections are cleared and Hangfire's server reconnects.
        await WaitUntilAsync(async () => await CountAsync(c => ids.Contains(c.Id) && c.LastCheckedAt > back) == ids.Count,
            TimeSpan.FromSeconds(Interval + 10), "a result after the restart for every check");

        // Nothing written twice (one result per slot of each check's schedule), nothing lost (no gap
        // longer than an interval plus the outage and some slack).
        var results = await QueryAsync(db => db.CheckResults.Where(r => ids.Contains(r.CheckId) && r.CheckedAt >= before).Select(r => new { r.CheckId, r.CheckedAt }));
        AssertOneResultPerSlot(results.Select(r => (r.CheckId, r.CheckedAt)), Interval);
        var outage = back - before;
        foreach (var check in results.GroupBy(r => r.CheckId))
        {
            var times = check.Select(r => r.CheckedAt).Order().ToList();
            for (var i = 1; i < times.Count; i++)
            {
                Assert.True(times[i] - times[i - 1] < TimeSpan.FromSeconds(Interval + 10) + outage, $"check {check.Key}: no run between {times[i - 1]:O} and {times[i]:O}");
            }
        }
    }

    private async Task<int> CountAsync(System.Linq.Expressions.Expression<Func<Watchtower.Data.Entities.Check, bool>> predicate)
    {
        await using var scope = App.CreateScope(out var db);
        return await db.Checks.CountAsync(predicate, TestContext.Current.CancellationToken);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
            {
                // The test's own reads meet the restart too.
            }

            Assert.True(DateTime.UtcNow < deadline, $"not within {within.TotalSeconds:0} s: {what}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
