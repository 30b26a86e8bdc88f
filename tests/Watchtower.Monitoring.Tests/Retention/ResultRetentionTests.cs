using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Monitoring.Retention;
using Watchtower.Monitoring.Tests.Engine;
using Watchtower.Probes;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Retention;

/// <summary>
/// Raw results are kept 30 days by default, on both stores: older ones go (SQLite in batches,
/// PostgreSQL by dropping whole days), younger ones stay, and so do the messages they refer to.
/// The clock is fake; the database, the service and its timer are real.
/// </summary>
public abstract class ResultRetentionTests : RetentionTestBase
{
    [Fact]
    public async Task Results_older_than_the_retention_go_and_younger_ones_stay()
    {
        // Today is today: the migration made today's partitions, as on a real install.
        var clock = new FakeTimeProvider(WholeSecond(DateTimeOffset.UtcNow));
        var now = clock.GetUtcNow();
        var check = await AddCheckAsync(ClosedPort(), now.AddYears(1));
        var expired = Enumerable.Range(0, (2 * ResultRetention.BatchSize) + 7).Select(i => now.AddDays(-31).AddSeconds(-i)).ToList();
        DateTimeOffset[] kept = [now.AddDays(-29), now.AddHours(-2), now];
        await AddResultsAsync(check.Id, [.. expired, .. kept]);
        var today = Day(now);
        await AddMessagesAsync(("unused for 40 days", today.AddDays(-40)), ("used 29 days ago", today.AddDays(-29)), ("used today", today));

        using var retention = ActivatorUtilities.CreateInstance<ResultRetention>(App.Services, (TimeProvider)clock);
        var pass = await retention.RunOnceAsync(Cancel);

        Assert.Equal(kept, await ResultTimesAsync(check.Id));
        Assert.Equal(["used 29 days ago", "used today"], await MessageTextsAsync());
        Assert.Equal((expired.Count, 1), (pass.ResultsDeleted, pass.MessagesDeleted));

        // Three days on, the run of 29 days ago is 32 days old, and the message used then has passed its day of margin.
        clock.Advance(TimeSpan.FromDays(3));
        var later = await retention.RunOnceAsync(Cancel);

        Assert.Equal(kept[1..], await ResultTimesAsync(check.Id));
        Assert.Equal(["used today"], await MessageTextsAsync());
        if (Store == TestStore.Postgres)
        {
            // The old run's day was dropped whole, and the three new days ahead were made.
            Assert.Equal((1, 3, 0), (later.PartitionsDropped, later.PartitionsCreated, later.ResultsDeleted));
            var days = await PartitionDaysAsync();
            Assert.DoesNotContain(Day(kept[0]), days);
            Assert.Superset(Enumerable.Range(0, ResultRetention.DaysAhead + 1).Select(d => Day(clock.GetUtcNow()).AddDays(d)).ToHashSet(), days);
            Assert.True(days.Min >= Day(clock.GetUtcNow() - TimeSpan.FromDays(31)), $"no day older than the retention is left: {days.Min}");
        }
        else
        {
            Assert.Equal((0, 0, 1), (later.PartitionsDropped, later.PartitionsCreated, later.ResultsDeleted));
        }
    }

    [Fact]
    public async Task The_service_runs_a_pass_at_start_then_every_hour_and_keeps_the_operators_setting()
    {
        var clock = new FakeTimeProvider(WholeSecond(DateTimeOffset.UtcNow));
        var now = clock.GetUtcNow();
        var check = await AddCheckAsync(ClosedPort(), now.AddYears(1));
        // Kept 7 days: a run of 8 days ago goes at start; one of 6 days 23½ hours goes an hour later.
        await AddResultsAsync(check.Id, [now.AddDays(-8), now.AddDays(-7).AddMinutes(30), now.AddMinutes(-1)]);
        var options = Microsoft.Extensions.Options.Options.Create(new RetentionOptions { ResultDays = 7 });
        using var retention = ActivatorUtilities.CreateInstance<ResultRetention>(App.Services, (TimeProvider)clock, options);

        await retention.StartAsync(Cancel);
        try
        {
            await WaitForAsync(async () => (await ResultTimesAsync(check.Id)).Count == 2);
            clock.Advance(TimeSpan.FromMinutes(59));
            await Task.Delay(300, Cancel);
            Assert.Equal(2, (await ResultTimesAsync(check.Id)).Count);
            if (Store == TestStore.Sqlite)
            {
                // PostgreSQL keeps the rest of that day until all of it is older than 7 days.
                clock.Advance(TimeSpan.FromMinutes(1));
                await WaitForAsync(async () => (await ResultTimesAsync(check.Id)).Count == 1);
            }
        }
        finally
        {
            await retention.StopAsync(Cancel);
        }

        Assert.Contains(now.AddMinutes(-1), await ResultTimesAsync(check.Id));
    }
}

public sealed class ResultRetentionTests_Sqlite : ResultRetentionTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class ResultRetentionTests_Postgres : ResultRetentionTests
{
    protected override TestStore Store => TestStore.Postgres;
}

/// <summary>Results, messages and partitions of the app's database, for the retention tests.</summary>
public abstract class RetentionTestBase : EngineTestBase
{
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected async Task AddResultsAsync(int checkId, IEnumerable<DateTimeOffset> times)
    {
        await using var scope = App.CreateScope(out var db);
        db.CheckResults.AddRange(times.Select(at => new CheckResult { CheckId = checkId, CheckedAt = at, Status = CheckState.Up, Reason = FailureReason.None, LatencyMs = 3 }));
        await db.SaveChangesAsync(Cancel);
    }

    protected async Task AddMessagesAsync(params (string Text, DateOnly LastUsedOn)[] messages)
    {
        await using var scope = App.CreateScope(out var db);
        db.ResultMessages.AddRange(messages.Select(m => new ResultMessage { Text = m.Text, LastUsedOn = m.LastUsedOn }));
        await db.SaveChangesAsync(Cancel);
    }

    protected async Task<List<DateTimeOffset>> ResultTimesAsync(int checkId) =>
        (await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == checkId).Select(r => r.CheckedAt))).Order().ToList();

    protected async Task<List<string>> MessageTextsAsync() =>
        (await QueryAsync(db => db.ResultMessages.Select(m => m.Text))).Order(StringComparer.Ordinal).ToList();

    protected async Task<SortedSet<DateOnly>> PartitionDaysAsync()
    {
        await using var scope = App.CreateScope(out var db);
        return await ResultPartitions.ListAsync(db, Cancel);
    }

    /// <summary>Stores keep less than a tick (PostgreSQL microseconds, SQLite a tenth of a millisecond): test times are whole seconds.</summary>
    protected static DateTimeOffset WholeSecond(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), at.Offset);

    protected static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    protected static async Task WaitForAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the retention pass did not finish within 20 s");
            await Task.Delay(100, Cancel);
        }
    }
}


/// <summary>PostgreSQL's day partitions: made ahead before the engine writes, and a row never lost for want of one.</summary>
public sealed class ResultPartitionTests : RetentionTestBase
{
    protected override TestStore Store => TestStore.Postgres;

    [Fact]
    public async Task A_result_for_a_day_without_a_partition_lands_and_moves_into_its_day()
    {
        var today = Day(DateTimeOffset.UtcNow);
        await using (var scope = App.CreateScope(out var db))
        {
            // As if no maintenance had run for today.
            Assert.True(await ResultPartitions.DropAsync(db, today, Cancel));
        }

        // Written the way the engine writes: a real run of a real check.
        var check = await AddCheckAsync(ClosedPort(), DateTimeOffset.UtcNow);
        await App.Services.GetRequiredService<ProbeEngine>().RunNowAsync([check.Id], Cancel);

        var written = Assert.Single(await ResultTimesAsync(check.Id));
        Assert.Equal(1, await CountAsync("check_results_default"));

        using var retention = ActivatorUtilities.CreateInstance<ResultRetention>(App.Services, TimeProvider.System);
        var pass = await retention.RunOnceAsync(Cancel);

        Assert.Equal(1, pass.PartitionsCreated);
        Assert.Contains(Day(written), await PartitionDaysAsync());
        Assert.Equal(0, await CountAsync("check_results_default"));
        Assert.Equal([written], await ResultTimesAsync(check.Id));
        Assert.Equal(CheckState.Down, Assert.Single(await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == check.Id))).Status);
    }

    [Fact]
    public async Task The_coming_days_exist_once_the_service_has_started_and_hosts_running_at_once_do_each_change_once()
    {
        var clock = new FakeTimeProvider(WholeSecond(DateTimeOffset.UtcNow.AddDays(10)));
        var today = Day(clock.GetUtcNow());
        using var first = ActivatorUtilities.CreateInstance<ResultRetention>(App.Services, (TimeProvider)clock);

        // Started before the Hangfire server and the dispatcher: returns only once the days exist.
        await first.StartAsync(Cancel);
        await first.StopAsync(Cancel);
        Assert.Superset(Enumerable.Range(-1, ResultRetention.DaysAhead + 2).Select(d => today.AddDays(d)).ToHashSet(), await PartitionDaysAsync());

        // Rows that fell into the default partition, then three hosts' passes at once.
        var check = await AddCheckAsync(ClosedPort(), clock.GetUtcNow().AddYears(1));
        clock.Advance(TimeSpan.FromDays(6));
        DateTimeOffset[] times = [clock.GetUtcNow().AddDays(-2), clock.GetUtcNow(), clock.GetUtcNow().AddDays(8)];
        await AddResultsAsync(check.Id, times);
        var hosts = Enumerable.Range(0, 3).Select(_ => ActivatorUtilities.CreateInstance<ResultRetention>(App.Services, (TimeProvider)clock)).ToList();
        var passes = await Task.WhenAll(hosts.Select(h => h.RunOnceAsync(Cancel)));
        hosts.ForEach(h => h.Dispose());

        // Each day made once among them: the days the rows need, and the ones ahead.
        var days = await PartitionDaysAsync();
        var needed = times.Select(Day).Concat(Enumerable.Range(-1, ResultRetention.DaysAhead + 2).Select(d => Day(clock.GetUtcNow()).AddDays(d))).ToHashSet();
        Assert.Superset(needed, days);
        Assert.Equal(needed.Except(Enumerable.Range(-1, ResultRetention.DaysAhead + 2).Select(d => today.AddDays(d))).Count(), passes.Sum(p => p.PartitionsCreated));
        Assert.Equal(0, await CountAsync("check_results_default"));
        Assert.Equal(times, await ResultTimesAsync(check.Id));
    }

    private async Task<int> CountAsync(string table)
    {
        await using var scope = App.CreateScope(out var db);
        var sql = $"SELECT count(*)::int AS \"Value\" FROM {table}";
        return (await db.Database.SqlQueryRaw<int>(sql).ToListAsync(Cancel)).Single();
    }
}
