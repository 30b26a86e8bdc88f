using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Watchtower.Monitoring.Engine;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Engine;

public abstract class DispatcherTests : EngineTestBase
{
    /// <summary>The workers this test announced: they stay alive (beat) for as long as the test runs, however slow the machine.</summary>
    private readonly List<string> announced = [];

    /// <summary>
    /// A dispatcher as the engine makes one. Its catch-up grace is 30 minutes: on a loaded machine
    /// making the test's checks can take longer than the default 10 s, and only the overdue test
    /// (hours late) is about catching up.
    /// </summary>
    private CheckDispatcher NewDispatcher(int batchSize = 50, int maxClaim = 2000, int maxInFlight = 10_000)
    {
        using (var connection = Storage.GetConnection())
        {
            foreach (var id in announced)
            {
                connection.Heartbeat(id);
            }
        }

        return ActivatorUtilities.CreateInstance<CheckDispatcher>(App.Services,
            Options.Create(new EngineOptions { BatchSize = batchSize, MaxClaimPerPass = maxClaim, MaxInFlightPerLocation = maxInFlight, CatchUpAfter = TimeSpan.FromMinutes(30) }));
    }

    private JobStorage Storage => App.Services.GetRequiredService<JobStorage>();

    private long Enqueued(string queue = "default") => Storage.GetMonitoringApi().EnqueuedCount(queue);

    private List<Guid> EnqueuedLeases(string queue = "default") =>
        Storage.GetMonitoringApi().EnqueuedJobs(queue, 0, 1000).Select(j => (Guid)j.Value.Job.Args[0]).ToList();

    /// <summary>A worker serving <paramref name="queues"/>, as a Hangfire server announces itself (this host runs none).</summary>
    private void AnnounceWorker(params string[] queues)
    {
        using var connection = Storage.GetConnection();
        var id = $"test-worker-{Guid.NewGuid():N}";
        connection.AnnounceServer(id, new ServerContext { Queues = queues, WorkerCount = 1 });
        connection.Heartbeat(id);
        announced.Add(id);
    }

    [Fact]
    public async Task Due_checks_are_leased_in_batches_and_not_claimed_twice()
    {
        AnnounceWorker("default");
        var now = DateTimeOffset.UtcNow;
        var due = new List<int>();
        for (var i = 0; i < 120; i++)
        {
            due.Add((await AddCheckAsync(10_000 + i, now.AddSeconds(-1))).Id);
        }

        var later = await AddCheckAsync(20_000, now.AddMinutes(10));
        var paused = await AddCheckAsync(20_001, now.AddSeconds(-1), enabled: false);

        var dispatched = await NewDispatcher(batchSize: 50, maxClaim: 70).DispatchOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(120, dispatched);
        // Claimed 70 + 50, each claim leased in batches of at most 50: 50+20 and 50, one job per lease.
        var leases = EnqueuedLeases();
        Assert.Equal(3, leases.Count);
        var leased = await QueryAsync(db => db.Checks.Where(c => due.Contains(c.Id)));
        Assert.Equal(leases.Order(), leased.Select(c => c.LeaseId!.Value).Distinct().Order());
        Assert.Equal([20, 50, 50], leased.GroupBy(c => c.LeaseId).Select(g => g.Count()).Order());
        // While leased, the next run is the lease's expiry: the timeout (2 s) plus the margin.
        Assert.All(leased, c => Assert.InRange(c.NextRunAt, now.AddSeconds(2 + 14), DateTimeOffset.UtcNow.AddSeconds(2 + 16)));

        Assert.Equal(0, await NewDispatcher().DispatchOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3, Enqueued());
        Assert.Equal(later.NextRunAt, (await ReloadAsync(later.Id)).NextRunAt, TimeSpan.FromMilliseconds(1));
        var stillPaused = await ReloadAsync(paused.Id);
        Assert.Equal((paused.NextRunAt, (Guid?)null), (stillPaused.NextRunAt, stillPaused.LeaseId), new NextRunComparer());
    }

    [Fact]
    public async Task Overdue_checks_come_back_at_their_own_slots_not_all_at_once()
    {
        AnnounceWorker("default");
        var now = DateTimeOffset.UtcNow;
        var overdue = new List<int>();
        for (var i = 0; i < 120; i++)
        {
            overdue.Add((await AddCheckAsync(11_000 + i, now.AddHours(-3))).Id);
        }

        var onTime = await AddCheckAsync(12_000, now.AddSeconds(-2));

        var dispatched = await NewDispatcher().DispatchOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, dispatched);
        Assert.NotNull((await ReloadAsync(onTime.Id)).LeaseId);
        var moved = await QueryAsync(db => db.Checks.Where(c => overdue.Contains(c.Id)));
        Assert.All(moved, c =>
        {
            Assert.Null(c.LeaseId);
            Assert.InRange(c.NextRunAt, now, DateTimeOffset.UtcNow.AddSeconds(60));
            // Each at its own phase of the 60 s interval...
            Assert.Equal(0, (c.NextRunAt.ToUnixTimeMilliseconds() - Schedule.PhaseMs(c.Id, 60_000)) % 60_000);
        });
        // ...so they are spread over it: no second holds more than a few of the 120.
        var perSecond = moved.GroupBy(c => c.NextRunAt.ToUnixTimeSeconds()).Max(g => g.Count());
        Assert.InRange(perSecond, 1, 8);
    }

    [Fact]
    public async Task A_location_without_a_live_worker_gets_no_work()
    {
        AnnounceWorker("default");
        var check = await AddCheckAsync(10_003, DateTimeOffset.UtcNow.AddSeconds(-1));
        await using (var scope = App.CreateScope(out var db))
        {
            await db.Checks.Where(c => c.Id == check.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Location, "eu-private"), TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, await NewDispatcher().DispatchOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, Enqueued("eu-private"));
        Assert.Null((await ReloadAsync(check.Id)).LeaseId);
        Assert.DoesNotContain("eu-private", App.Services.GetRequiredService<ProbeLocations>().Live());

        AnnounceWorker("eu-private");
        Assert.Equal(1, await NewDispatcher().DispatchOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, Enqueued("eu-private"));
        Assert.Equal(0, Enqueued("default"));
    }

    [Fact]
    public async Task Claimed_and_unfinished_work_per_location_is_bounded_and_an_expired_lease_is_due_again_at_once()
    {
        AnnounceWorker("default");
        var now = DateTimeOffset.UtcNow;
        var ids = new List<int>();
        for (var i = 0; i < 150; i++)
        {
            ids.Add((await AddCheckAsync(13_000 + i, now.AddSeconds(-1))).Id);
        }

        Assert.Equal(100, await NewDispatcher(maxInFlight: 100).DispatchOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await NewDispatcher(maxInFlight: 100).DispatchOnceAsync(TestContext.Current.CancellationToken));
        var firstLeases = EnqueuedLeases();
        var firstRound = (await QueryAsync(db => db.Checks.Where(c => c.LeaseId != null).Select(c => c.Id))).ToHashSet();

        // No worker ran them (killed, say): their leases run out, and they are due again at once.
        await using (var scope = App.CreateScope(out var db))
        {
            await db.Checks.Where(c => c.LeaseId != null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextRunAt, DateTimeOffset.UtcNow.AddSeconds(-1)), TestContext.Current.CancellationToken);
        }

        Assert.Equal(100, await NewDispatcher(maxInFlight: 100).DispatchOnceAsync(TestContext.Current.CancellationToken));
        var checkedAt = DateTimeOffset.UtcNow;
        var held = (await QueryAsync(db => db.Checks.Where(c => c.LeaseId != null))).Where(c => c.NextRunAt > checkedAt).ToList();
        Assert.Equal(100, held.Count);
        Assert.DoesNotContain(held, c => firstLeases.Contains(c.LeaseId!.Value));
        // The 50 never claimed (due longest), then 50 of those whose lease ran out.
        Assert.Equal(50, held.Count(c => firstRound.Contains(c.Id)));

        // The jobs of the expired leases, should they still run, find nothing to do.
        var engine = App.Services.GetRequiredService<ProbeEngine>();
        foreach (var stale in firstLeases)
        {
            Assert.Equal(0, await engine.StartLeaseAsync(stale, TestContext.Current.CancellationToken));
        }

        Assert.Empty(await QueryAsync(db => db.CheckResults.Where(r => ids.Contains(r.CheckId))));
    }

    /// <summary>Compares next runs to the millisecond (stores round differently) and leases exactly.</summary>
    [Fact]
    public async Task With_little_room_left_one_claim_still_leases_the_due_checks_and_moves_every_late_one()
    {
        // At 50,000 checks the room for work in flight was down to a few checks while thousands were
        // overdue: each claim took the oldest few (late ones), moved them, and the checks just due
        // turned late in turn — the engine leased nothing for minutes. Late ones take no room.
        var now = DateTimeOffset.UtcNow;
        var late = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            late.Add((await AddCheckAsync(14_000 + i, now.AddMinutes(-5))).Id);
        }

        var due = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            due.Add((await AddCheckAsync(14_100 + i, now.AddSeconds(-1))).Id);
        }

        await using var scope = App.Services.CreateAsyncScope();
        var claimer = scope.ServiceProvider.GetRequiredService<IDueCheckClaimer>();
        var request = new ClaimRequest("default", now, Limit: 3, BatchSize: 10, TimeSpan.FromSeconds(15), CatchUpAfter: TimeSpan.FromSeconds(10), LateLimit: 2000);
        var outcome = await claimer.ClaimAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(3, outcome.Leased);
        Assert.Equal(40, outcome.Rescheduled);
        Assert.True(outcome.Full(request)); // the room is used up: this pass asks no more
        var rows = await QueryAsync(db => db.Checks.Where(c => late.Contains(c.Id) || due.Contains(c.Id)).Select(c => new { c.Id, c.LeaseId, c.NextRunAt }));
        Assert.All(rows.Where(r => late.Contains(r.Id)), r => Assert.True(r.LeaseId is null && r.NextRunAt > now, $"late check {r.Id} moved ahead"));
        Assert.Equal(3, rows.Count(r => due.Contains(r.Id) && r.LeaseId is not null));
        Assert.Equal(2, rows.Count(r => due.Contains(r.Id) && r.LeaseId is null && r.NextRunAt <= now)); // still due: next claim
    }

    private sealed class NextRunComparer : IEqualityComparer<(DateTimeOffset, Guid?)>
    {
        public bool Equals((DateTimeOffset, Guid?) x, (DateTimeOffset, Guid?) y) =>
            Math.Abs((x.Item1 - y.Item1).TotalMilliseconds) < 1 && x.Item2 == y.Item2;

        public int GetHashCode((DateTimeOffset, Guid?) obj) => obj.Item2.GetHashCode();
    }
}

public sealed class DispatcherTests_Sqlite : DispatcherTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class DispatcherTests_Postgres : DispatcherTests
{
    protected override TestStore Store => TestStore.Postgres;

    private static ClaimRequest Request(int limit) =>
        new("default", DateTimeOffset.UtcNow, limit, 10, TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(30), limit); // catch-up not under test (see NewDispatcher)

    [Fact]
    public async Task Concurrent_dispatchers_never_claim_the_same_check()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 300; i++)
        {
            await AddCheckAsync(30_000 + i, now.AddSeconds(-1));
        }

        // Four claimers race; FOR UPDATE SKIP LOCKED gives each a disjoint share.
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var all = new List<LeasedBatch>();
            while (true)
            {
                await using var scope = App.Services.CreateAsyncScope();
                var claimer = scope.ServiceProvider.GetRequiredService<IDueCheckClaimer>();
                var outcome = await claimer.ClaimAsync(Request(25), TestContext.Current.CancellationToken);
                if (outcome.Touched == 0)
                {
                    return all;
                }

                all.AddRange(outcome.Batches);
            }
        }));

        var batches = claims.SelectMany(c => c).ToList();
        Assert.Equal(300, batches.Sum(b => b.Count));
        Assert.Equal(batches.Count, batches.Select(b => b.Lease).Distinct().Count());
        var leased = await QueryAsync(db => db.Checks.GroupBy(c => c.LeaseId).Select(g => new { g.Key, Count = g.Count() }));
        Assert.All(batches, b => Assert.Equal(b.Count, leased.Single(l => l.Key == b.Lease).Count));
    }

    [Fact]
    public async Task A_claimer_skips_rows_another_dispatcher_has_locked_instead_of_waiting()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await AddCheckAsync(31_000 + i, now.AddSeconds(-1))).Id);
        }

        var locked = ids.Take(10).ToArray();
        await using var scope = App.CreateScope(out var db);
        var connectionString = db.Database.GetConnectionString();
        await using var other = new Npgsql.NpgsqlConnection(connectionString);
        await other.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await other.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var lockRows = new Npgsql.NpgsqlCommand("""SELECT "Id" FROM checks WHERE "Id" = ANY(@ids) FOR UPDATE""", other, transaction))
        {
            lockRows.Parameters.AddWithValue("ids", locked);
            await lockRows.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var claimer = scope.ServiceProvider.GetRequiredService<IDueCheckClaimer>();
        var claimed = await claimer.ClaimAsync(Request(1000), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(20, claimed.Leased);
        Assert.Equal(ids.Skip(10).Order(), (await QueryAsync(d => d.Checks.Where(c => c.LeaseId != null).Select(c => c.Id))).Order());
        await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        var rest = await claimer.ClaimAsync(Request(1000), TestContext.Current.CancellationToken);
        Assert.Equal(10, rest.Leased);
    }
}
