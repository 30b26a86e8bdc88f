using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;

namespace Watchtower.Monitoring.Retention;

/// <summary>
/// PostgreSQL's day partitions of check_results, one per UTC day, named check_results_yyyyMMdd,
/// plus check_results_default for a row whose day has none.
/// </summary>
/// <remarks>
/// Why a DEFAULT partition: without one, a row whose day has no partition (a host whose clock is
/// off, a maintenance pass that could not run for days) fails its whole batch, and the batch's
/// results are lost. With one, it lands there and the next pass moves it into its day. The cost:
/// creating a day's partition must first move that day's rows out of the default one (done here,
/// in one transaction), and dropping a partition cannot use DETACH … CONCURRENTLY, so it takes a
/// brief exclusive lock on check_results (bounded by <see cref="LockTimeout"/>, retried next pass).
/// Every change runs under one advisory lock and re-checks what exists, so hosts running
/// maintenance at once do each thing once.
/// </remarks>
public static class ResultPartitions
{
    public const string Table = "check_results";
    public const string Default = "check_results_default";

    /// <summary>How long a partition change waits for locks before giving up until the next pass (so it never queues writers behind a long reader).</summary>
    public const string LockTimeout = "5s";

    // Any constant of our own; it serialises partition changes across hosts.
    private const long AdvisoryLock = 0x5754_5245_5355_4C54; // "WTRESULT"

    // Another: compaction holds its lock for minutes, outside a transaction, and must not block partition changes.
    private const long CompactLock = AdvisoryLock + 1;

    private const string Prefix = Table + "_";
    private const string Columns = "\"CheckedAt\", \"CheckId\", \"LatencyMs\", \"MessageId\", \"Status\", \"Reason\"";

    public static string NameOf(DateOnly day) => Prefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The days that have a partition.</summary>
    public static async Task<SortedSet<DateOnly>> ListAsync(WatchtowerDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = await db.Database.SqlQuery<string>($"""
            SELECT c.relname::text AS "Value" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'check_results'::regclass
            """).ToListAsync(cancellationToken);
        var days = new SortedSet<DateOnly>();
        foreach (var name in names)
        {
            if (name.StartsWith(Prefix, StringComparison.Ordinal)
                && DateOnly.TryParseExact(name[Prefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                days.Add(day);
            }
        }

        return days;
    }

    /// <summary>The days (within retention) of rows that fell into the default partition.</summary>
    public static async Task<List<DateOnly>> DaysInDefaultAsync(WatchtowerDbContext db, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Database.SqlQuery<DateOnly>($"""
            SELECT DISTINCT ("CheckedAt" AT TIME ZONE 'UTC')::date AS "Value" FROM check_results_default WHERE "CheckedAt" >= {since}
            """).ToListAsync(cancellationToken);
    }

    /// <summary>Creates the day's partition, moving the day's rows out of the default partition. Returns false when it already existed.</summary>
    public static async Task<bool> CreateAsync(WatchtowerDbContext db, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var name = NameOf(day);
        var (from, to) = (Bound(day), Bound(day.AddDays(1)));
        return await UnderLockAsync(db, async () =>
        {
            if (await ExistsAsync(db, name, cancellationToken))
            {
                return false;
            }

            // Built beside the table and attached, rather than CREATE … PARTITION OF: ATTACH takes
            // only a SHARE UPDATE EXCLUSIVE lock on check_results, so writers carry on meanwhile.
            // Names and bounds come from a date, never from input.
            var sql = $"""
                CREATE TABLE {name} (LIKE {Table} INCLUDING DEFAULTS);
                WITH moved AS (DELETE FROM {Default} WHERE "CheckedAt" >= '{from}' AND "CheckedAt" < '{to}' RETURNING {Columns})
                INSERT INTO {name} ({Columns}) SELECT {Columns} FROM moved;
                ALTER TABLE {Table} ATTACH PARTITION {name} FOR VALUES FROM ('{from}') TO ('{to}');
                """;
            await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>Drops the day's partition with its rows. Returns false when there was none.</summary>
    public static async Task<bool> DropAsync(WatchtowerDbContext db, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var name = NameOf(day);
        return await UnderLockAsync(db, async () =>
        {
            if (!await ExistsAsync(db, name, cancellationToken))
            {
                return false;
            }

            var sql = $"DROP TABLE {name}";
            await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>The comment a compacted partition carries, so each day is compacted once.</summary>
    public const string CompactedMark = "compacted";

    /// <summary>Days before <paramref name="before"/> whose partition has not been compacted yet, oldest first.</summary>
    public static async Task<List<DateOnly>> UncompactedAsync(WatchtowerDbContext db, DateOnly before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = await db.Database.SqlQuery<string>($"""
            SELECT c.relname::text AS "Value" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'check_results'::regclass AND obj_description(c.oid, 'pg_class') IS DISTINCT FROM {CompactedMark}
            """).ToListAsync(cancellationToken);
        var days = new List<DateOnly>();
        foreach (var name in names)
        {
            if (name.StartsWith(Prefix, StringComparison.Ordinal)
                && DateOnly.TryParseExact(name[Prefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                && day < before)
            {
                days.Add(day);
            }
        }

        days.Sort();
        return days;
    }

    /// <summary>
    /// Rebuilds a closed day's key index (REINDEX … CONCURRENTLY: writers and readers carry on) and
    /// marks the day compacted. Why: each check's results arrive in time order, so every index page
    /// that fills up is split in half and its left half never gets another entry; a day's index is
    /// written about half full (about 58 bytes an entry where 31 would do). Rebuilt, its pages are
    /// 90 % full. Returns false when the day has no partition, is already compacted, or another
    /// host is compacting (the day is then left to it).
    /// </summary>
    public static async Task<bool> CompactAsync(WatchtowerDbContext db, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var name = NameOf(day);

        // REINDEX CONCURRENTLY cannot run in a transaction, so the lock is a session one, held on
        // one connection for the whole change.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var locked = (await db.Database.SqlQuery<bool>($"""SELECT pg_try_advisory_lock({CompactLock}) AS "Value" """).ToListAsync(cancellationToken)).Single();
            if (!locked)
            {
                return false;
            }

            try
            {
                var pending = (await db.Database.SqlQuery<bool>($"""
                    SELECT to_regclass({name}) IS NOT NULL AND obj_description(to_regclass({name}), 'pg_class') IS DISTINCT FROM {CompactedMark} AS "Value"
                    """).ToListAsync(cancellationToken)).Single();
                if (!pending)
                {
                    return false;
                }

                // Names come from a date, never from input.
                db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
                var sql = $"REINDEX TABLE CONCURRENTLY {name}";
                await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
                sql = $"COMMENT ON TABLE {name} IS '{CompactedMark}'";
                await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
                return true;
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({CompactLock})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Deletes rows older than <paramref name="cutoff"/> that fell into the default partition (normally none).</summary>
    public static Task<int> DeleteExpiredFromDefaultAsync(WatchtowerDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.ExecuteSqlAsync($"""DELETE FROM check_results_default WHERE "CheckedAt" < {cutoff}""", cancellationToken);
    }

    private static Task<bool> UnderLockAsync(WatchtowerDbContext db, Func<Task<bool>> change, CancellationToken cancellationToken) =>
        // Under the context's retrying strategy the whole transaction is the unit retried; each
        // change first looks at what exists, so a retry after an unacknowledged commit does nothing.
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var sql = $"SET LOCAL lock_timeout = '{LockTimeout}'; SELECT pg_advisory_xact_lock({AdvisoryLock})";
            await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
            var changed = await change();
            await transaction.CommitAsync(cancellationToken);
            return changed;
        });

    private static async Task<bool> ExistsAsync(WatchtowerDbContext db, string name, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<bool>($"SELECT to_regclass({name}) IS NOT NULL AS \"Value\"").ToListAsync(cancellationToken)).Single();

    /// <summary>The start of a UTC day as a timestamptz literal (partition bounds take no parameters).</summary>
    private static string Bound(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00";
}
