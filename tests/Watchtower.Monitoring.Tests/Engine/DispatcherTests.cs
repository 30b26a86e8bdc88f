using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Watchtower.Monitoring.Engine;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Engine;

public abstract class DispatcherTests : EngineTestBase
{
    private CheckDispatcher NewDispatcher(int batchSize = 50, int maxClaim = 2000) =>
        ActivatorUtilities.CreateInstance<CheckDispatcher>(App.Services,
            Options.Create(new EngineOptions { BatchSize = batchSize, MaxClaimPerPass = maxClaim }));

    private long Enqueued(string queue = "default") =>
        App.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedCount(queue);

    [Fact]
    public async Task Due_checks_are_enqueued_in_batches_and_not_claimed_twice()
    {
        var now = DateTimeOffset.UtcNow;
        var due = new List<int>();
        for (var i = 0; i < 120; i++)
        {
            due.Add((await AddCheckAsync(10_000 + i, now.AddMinutes(-1))).Id);
        }

        var later = await AddCheckAsync(20_000, now.AddMinutes(10));
        var paused = await AddCheckAsync(20_001, now.AddMinutes(-1), enabled: false);

        var dispatched = await NewDispatcher(batchSize: 50, maxClaim: 70).DispatchOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(120, dispatched);
        // 120 claimed in passes of 70 + 50, each pass cut into batches of at most 50: 50+20 and 50.
        Assert.Equal(3, Enqueued());
        var jobs = App.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 10);
        var ids = jobs.SelectMany(j => (int[])j.Value.Job.Args[0]).Order().ToList();
        Assert.Equal(due.Order().ToList(), ids);

        var rescheduled = await QueryAsync(db => db.Checks.Where(c => due.Contains(c.Id)).Select(c => c.NextRunAt));
        Assert.All(rescheduled, next => Assert.True(next > now, $"next run {next:O} should be after {now:O}"));
        Assert.Equal(0, await NewDispatcher().DispatchOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3, Enqueued());
        Assert.Equal(later.NextRunAt, (await ReloadAsync(later.Id)).NextRunAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(paused.NextRunAt, (await ReloadAsync(paused.Id)).NextRunAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_check_keeps_its_cadence_and_skips_missed_runs_after_downtime()
    {
        var now = DateTimeOffset.UtcNow;
        var onTime = await AddCheckAsync(10_001, now.AddSeconds(-1));
        var longOverdue = await AddCheckAsync(10_002, now.AddHours(-3));

        await NewDispatcher().DispatchOnceAsync(TestContext.Current.CancellationToken);

        var next = (await ReloadAsync(onTime.Id)).NextRunAt;
        Assert.Equal(onTime.NextRunAt.AddSeconds(60), next, TimeSpan.FromMilliseconds(1));
        var overdueNext = (await ReloadAsync(longOverdue.Id)).NextRunAt;
        Assert.InRange(overdueNext, now.AddSeconds(59), DateTimeOffset.UtcNow.AddSeconds(61));
    }

    [Fact]
    public async Task Each_location_gets_its_own_queue()
    {
        var check = await AddCheckAsync(10_003, DateTimeOffset.UtcNow.AddSeconds(-5));
        await using (var scope = App.CreateScope(out var db))
        {
            await db.Checks.Where(c => c.Id == check.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Location, "eu-private"), TestContext.Current.CancellationToken);
        }

        await NewDispatcher().DispatchOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, Enqueued("eu-private"));
        Assert.Equal(0, Enqueued("default"));
    }
}

public sealed class DispatcherTests_Sqlite : DispatcherTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class DispatcherTests_Postgres : DispatcherTests
{
    protected override TestStore Store => TestStore.Postgres;

    [Fact]
    public async Task Concurrent_dispatchers_never_claim_the_same_check()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 300; i++)
        {
            await AddCheckAsync(30_000 + i, now.AddMinutes(-1));
        }

        // Four claimers race; FOR UPDATE SKIP LOCKED gives each a disjoint share.
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var all = new List<int>();
            while (true)
            {
                await using var scope = App.Services.CreateAsyncScope();
                var claimer = scope.ServiceProvider.GetRequiredService<IDueCheckClaimer>();
                var batch = await claimer.ClaimDueAsync(DateTimeOffset.UtcNow, 25, TestContext.Current.CancellationToken);
                if (batch.Count == 0)
                {
                    return all;
                }

                all.AddRange(batch.Select(c => c.Id));
            }
        }));

        var everything = claims.SelectMany(c => c).ToList();
        Assert.Equal(300, everything.Count);
        Assert.Equal(300, everything.Distinct().Count());
    }

    [Fact]
    public async Task A_claimer_skips_rows_another_dispatcher_has_locked_instead_of_waiting()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await AddCheckAsync(31_000 + i, now.AddMinutes(-1))).Id);
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
        var claimed = await claimer.ClaimDueAsync(DateTimeOffset.UtcNow, 1000, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(ids.Skip(10).Order(), claimed.Select(c => c.Id).Order());
        await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        var rest = await claimer.ClaimDueAsync(DateTimeOffset.UtcNow, 1000, TestContext.Current.CancellationToken);
        Assert.Equal(locked.Order(), rest.Select(c => c.Id).Order());
    }
}
