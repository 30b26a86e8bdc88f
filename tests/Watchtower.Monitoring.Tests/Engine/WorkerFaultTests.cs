using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Monitoring.Tests.Engine;

/// <summary>
/// Two Worker processes on one PostgreSQL database, one of them killed (SIGKILL) while its probes are
/// in flight: the checks it held run again once their leases expire, every check gets a fresh result
/// within an interval plus timeout and margin, and no run is written twice.
/// (bench/Watchtower.EngineBench runs the same at thousands of checks.)
/// </summary>
public sealed class WorkerFaultTests : EngineTestBase
{
    private const int Interval = 10;
    private const int Timeout = 3;
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(2);

    protected override TestStore Store => TestStore.Postgres;

    [Fact]
    public async Task Two_workers_share_the_checks_and_one_killed_mid_batch_costs_each_check_at_most_one_late_run_and_no_duplicate()
    {
        await using var listener = new LoopbackListener();
        using var blackhole = new BlackholeListener();
        var now = DateTimeOffset.UtcNow;
        var ids = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await AddCheckAsync(listener.Port, now, intervalSeconds: Interval, timeoutSeconds: Timeout)).Id);
        }

        // Never answering: each run holds its lease for the whole timeout, so the kill finds runs in flight.
        var slow = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            slow.Add((await AddCheckAsync(blackhole.Port, now, intervalSeconds: Interval, timeoutSeconds: Timeout)).Id);
        }

        ids.AddRange(slow);
        await using var first = await StartWorkerAsync();
        await using var second = await StartWorkerAsync();

        // Both workers running, every check has had a run.
        await WaitUntilAsync(async () => await CountAsync(db => db.Checks.Where(c => ids.Contains(c.Id) && c.LastCheckedAt != null)) == ids.Count,
            TimeSpan.FromSeconds(60), "every check's first run: " + first.Output);

        // Kill one worker while the never-answering checks are leased (in flight somewhere).
        await WaitUntilAsync(async () => await CountAsync(db => db.Checks.Where(c => slow.Contains(c.Id) && c.LeaseId != null)) >= 5,
            TimeSpan.FromSeconds(30), "never-answering checks in flight");
        await first.DisposeAsync(); // SIGKILL: no shutdown, its jobs and probes lost mid-flight
        var killedAt = DateTimeOffset.UtcNow;

        // Every check gets a run that started after the kill, within interval + timeout + margin (and the
        // dispatcher's and database's slack).
        var limit = TimeSpan.FromSeconds(Interval + Timeout) + LeaseMargin + TimeSpan.FromSeconds(10);
        await WaitUntilAsync(async () => await CountAsync(db => db.Checks.Where(c => ids.Contains(c.Id) && c.LastCheckedAt > killedAt)) == ids.Count,
            limit, "a fresh result for every check after the kill: " + second.Output);

        // No run written twice: one result per slot of each check's schedule (a killed run wrote
        // nothing; its re-run after the lease expired is the slot's only result). And each check's
        // state changed once (Pending → Up or Down).
        var results = await QueryAsync(db => db.CheckResults.Where(r => ids.Contains(r.CheckId)).Select(r => new { r.CheckId, r.CheckedAt }));
        AssertOneResultPerSlot(results.Select(r => (r.CheckId, r.CheckedAt)), Interval);

        var changes = await QueryAsync(db => db.CheckStateChanges.Where(c => ids.Contains(c.CheckId)).Select(c => c.CheckId));
        Assert.Equal(ids.Count, changes.Count);
        Assert.Equal(ids.Count, changes.Distinct().Count());
    }

    private async Task<ServerProcess> StartWorkerAsync()
    {
        var port = ServerProcess.FreePort();
        return await ServerProcess.StartAsync("Watchtower.Worker", "dotnet",
            [WorkerDll(), $"--urls=http://127.0.0.1:{port}", $"--ConnectionStrings:Watchtower={App.PostgresConnectionString}",
             "--Watchtower:Probes:AllowPrivateTargets=true", "--Watchtower:Engine:DispatchInterval=00:00:00.500",
             "--Watchtower:Engine:BatchSize=5", $"--Watchtower:Engine:LeaseMargin={LeaseMargin}",
             // Not under test here, and a loaded machine may start a Worker slower than the default 10 s.
             "--Watchtower:Engine:CatchUpAfter=00:10:00",
             "--Watchtower:Database:MigrateOnStartup=false", $"--contentRoot={Path.GetDirectoryName(WorkerDll())}"],
            port, TimeSpan.FromSeconds(60));
    }

    private async Task<int> CountAsync(Func<Watchtower.Data.WatchtowerDbContext, IQueryable<Check>> query)
    {
        await using var scope = App.CreateScope(out var db);
        return await query(db).CountAsync(TestContext.Current.CancellationToken);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {within.TotalSeconds:0} s: {what}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
