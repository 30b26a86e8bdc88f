using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Watchtower.Data;

namespace Watchtower.Monitoring.Retention;

/// <summary>
/// Keeps raw results flat: on PostgreSQL it creates the day partitions of the coming
/// <see cref="DaysAhead"/> days, drops the days older than <see cref="RetentionOptions.ResultDays"/> and
/// compacts the key index of each day once it is over (see <see cref="ResultPartitions.CompactAsync"/>);
/// on SQLite it deletes older results in batches of <see cref="BatchSize"/>. On both it deletes the
/// result messages no kept result can refer to. Runs when the host starts, then every
/// <see cref="Interval"/>, on every host that runs the dispatcher (like <see cref="AuditRetention"/>,
/// for the same reasons); several at once are harmless (see <see cref="ResultPartitions"/>).
/// </summary>
/// <remarks>
/// Its own service rather than a second duty of <see cref="AuditRetention"/>: partitions must be
/// made before the engine writes (see <see cref="StartAsync"/>) and looked after hourly, while the
/// audit log needs a pass a day.
/// </remarks>
public sealed class ResultRetention(
    IServiceScopeFactory scopeFactory,
    DatabaseSettings database,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<ResultRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement, each statement its own short transaction.</summary>
    public const int BatchSize = 5000;

    /// <summary>How long after a day's end its partition is compacted.</summary>
    public static readonly TimeSpan CompactAfter = TimeSpan.FromHours(1);

    /// <summary>Closed days compacted per pass at most.</summary>
    public const int CompactPerPass = 3;

    /// <summary>Day partitions made ahead of today: a pass can fail for this long before a row lands in the default partition.</summary>
    public const int DaysAhead = 3;

    /// <summary>What one pass did.</summary>
    public sealed record Pass(int PartitionsCreated, int PartitionsDropped, int ResultsDeleted, int MessagesDeleted, int PartitionsCompacted = 0);

    /// <summary>
    /// Hosted services start one after another in the order they were added, and this one is added
    /// before the Hangfire server and the dispatcher: so today's and the next days' partitions exist
    /// before this host writes a result. (Deleting is left to the first pass, which may take long.)
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                await CreateAheadAsync(scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>(), time.GetUtcNow(), cancellationToken);
            }
#pragma warning disable CA1031 // The host must start even with the database away; rows then land in the default partition.
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Creating the coming days' result partitions failed; the hourly pass tries again");
            }
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A database outage must not end the loop; the next pass does what this one could not.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Result retention failed; trying again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass, on the store the host uses.</summary>
    public async Task<Pass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - options.Value.ResultsKeptFor;
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
        var pass = database.Provider == DatabaseProvider.Postgres
            ? await KeepPartitionsAsync(db, now, cutoff, cancellationToken)
            : new Pass(0, 0, await DeleteSqliteResultsAsync(db, cutoff, cancellationToken), 0);
        pass = pass with { MessagesDeleted = await DeleteUnusedMessagesAsync(db, cutoff, cancellationToken) };
        if (pass != new Pass(0, 0, 0, 0))
        {
            logger.LogInformation(
                "Result retention (results before {Cutoff:O}): {Created} partitions created, {Dropped} dropped, {Compacted} compacted, {Results} results and {Messages} messages deleted",
                cutoff, pass.PartitionsCreated, pass.PartitionsDropped, pass.PartitionsCompacted, pass.ResultsDeleted, pass.MessagesDeleted);
        }

        return pass;
    }

    private static async Task<int> CreateAheadAsync(WatchtowerDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await ResultPartitions.ListAsync(db, cancellationToken);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var created = 0;

        // From yesterday: a run that started before midnight is recorded a little after it.
        for (var day = today.AddDays(-1); day <= today.AddDays(DaysAhead); day = day.AddDays(1))
        {
            if (!existing.Contains(day) && await ResultPartitions.CreateAsync(db, day, cancellationToken))
            {
                created++;
            }
        }

        return created;
    }

    private static async Task<Pass> KeepPartitionsAsync(WatchtowerDbContext db, DateTimeOffset now, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var created = await CreateAheadAsync(db, now, cancellationToken);

        // Rows that found no partition (see ResultPartitions) move into their day's.
        foreach (var day in await ResultPartitions.DaysInDefaultAsync(db, cutoff, cancellationToken))
        {
            if (await ResultPartitions.CreateAsync(db, day, cancellationToken))
            {
                created++;
            }
        }

        // A day goes once all of it is older than the cutoff, so up to a day more than the setting is kept.
        var dropped = 0;
        foreach (var day in await ResultPartitions.ListAsync(db, cancellationToken))
        {
            if (Start(day.AddDays(1)) <= cutoff && await ResultPartitions.DropAsync(db, day, cancellationToken))
            {
                dropped++;
            }
        }

        var deleted = await ResultPartitions.DeleteExpiredFromDefaultAsync(db, cutoff, cancellationToken);

        // Closed days are compacted (see ResultPartitions.CompactAsync), a few per pass so a pass
        // after an upgrade or a long outage stays short; the hourly passes catch up. A day is closed
        // an hour after its end: runs that started before midnight are recorded a little after it.
        var compacted = 0;
        foreach (var day in (await ResultPartitions.UncompactedAsync(db, DateOnly.FromDateTime((now - CompactAfter).UtcDateTime), cancellationToken)).Take(CompactPerPass))
        {
            if (await ResultPartitions.CompactAsync(db, day, cancellationToken))
            {
                compacted++;
            }
        }

        return new Pass(created, dropped, deleted, 0, compacted);
    }

    private static async Task<int> DeleteSqliteResultsAsync(WatchtowerDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        // The model stores times on SQLite through this converter; a raw parameter must match it.
        var before = (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(cutoff)!;
        var total = 0;
        int deleted;
        do
        {
            // By rowid, with no index on the time: rows are in rowid order, which is time order, so
            // each batch's scan finds the oldest rows first and stops at the limit.
            deleted = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM check_results WHERE rowid IN (SELECT rowid FROM check_results WHERE "CheckedAt" < {before} LIMIT {BatchSize})
                """, cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);

        return total;
    }

    /// <summary>
    /// A message last used on day D is referred to only by results of day D or earlier. The results
    /// kept are of the cutoff's UTC day or later (PostgreSQL keeps whole days), so a message last
    /// used before the day before it — a day's margin for hosts whose clocks disagree — is referred
    /// to by none.
    /// </summary>
    private static async Task<int> DeleteUnusedMessagesAsync(WatchtowerDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var unusedBefore = DateOnly.FromDateTime(cutoff.UtcDateTime).AddDays(-1);
        var total = 0;
        int deleted;
        do
        {
            deleted = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM result_messages WHERE "Id" IN (SELECT "Id" FROM result_messages WHERE "LastUsedOn" < {unusedBefore} LIMIT {BatchSize})
                """, cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);

        return total;
    }

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
