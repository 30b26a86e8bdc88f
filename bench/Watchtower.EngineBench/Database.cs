using Npgsql;

namespace Watchtower.EngineBench;

public readonly record struct ResultRow(int CheckId, DateTimeOffset CheckedAt);

public sealed record StorageSizes(long ResultRows, long ResultBytes, long HangfireBytes, bool Partitioned, int Partitions);

public readonly record struct QueueSample(DateTimeOffset At, long Queued, long Fetched, long Processing, long? ClaimedChecks, long? LeasedChecks);

/// <summary>
/// What the harness asks the database, in plain SQL: results, sizes, and Hangfire's queue. Written to
/// survive the engine's rework: the results table may be renamed (names come from the model or the
/// command line) or partitioned (sizes sum the partition tree), and Hangfire or lease columns may be
/// absent (those numbers are then reported as n/a).
/// </summary>
public sealed class Database(string connectionString, SchemaNames names, string hangfireSchema)
{
    public string ConnectionString { get; } = connectionString;
    public SchemaNames Names { get; } = names;

    private string Hangfire => $"\"{hangfireSchema}\"";

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, ApplicationName = "enginebench" }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Every result that started at or after <paramref name="from"/>: check id and start time only.</summary>
    public async Task<List<ResultRow>> ReadResultsAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT {Names.ResultCheckId}, {Names.ResultCheckedAt} FROM {Names.ResultsTable} WHERE {Names.ResultCheckedAt} >= @from", connection)
        { CommandTimeout = 600 };
        command.Parameters.AddWithValue("from", from);
        var rows = new List<ResultRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ResultRow(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return rows;
    }

    /// <summary>
    /// The results table with every partition, TOAST and index (pg_partition_tree when it is
    /// partitioned), its rows, and the whole Hangfire schema.
    /// </summary>
    public async Task<StorageSizes> SizesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var table = Names.ResultsTable;
        var partitioned = (bool)(await ScalarAsync(connection, "SELECT relkind = 'p' FROM pg_class WHERE oid = @t::regclass", cancellationToken, ("t", table)))!;
        long bytes;
        var partitions = 0;
        if (partitioned)
        {
            bytes = (long)(await ScalarAsync(connection,
                "SELECT coalesce(sum(pg_total_relation_size(relid)), 0)::bigint FROM pg_partition_tree(@t::regclass)", cancellationToken, ("t", table)))!;
            partitions = Convert.ToInt32(await ScalarAsync(connection,
                "SELECT count(*) FROM pg_partition_tree(@t::regclass) WHERE isleaf", cancellationToken, ("t", table)), System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            bytes = (long)(await ScalarAsync(connection, "SELECT pg_total_relation_size(@t::regclass)", cancellationToken, ("t", table)))!;
        }

        var rows = (long)(await ScalarAsync(connection, $"SELECT count(*) FROM {table}", cancellationToken))!;
        var hangfire = (long)(await ScalarAsync(connection,
            """
            SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @s AND c.relkind IN ('r', 'p', 'm')
            """, cancellationToken, ("s", hangfireSchema)))!;
        return new StorageSizes(rows, bytes, hangfire, partitioned, partitions);
    }

    /// <summary>The newest Hangfire job id, or null without Hangfire tables.</summary>
    public async Task<long?> MaxJobIdAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        try
        {
            return Convert.ToInt64(await ScalarAsync(connection, $"SELECT coalesce(max(id), 0) FROM {Hangfire}.job", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException)
        {
            return null;
        }
    }

    /// <summary>
    /// Jobs newer than <paramref name="afterJobId"/> that each process started, from Hangfire's
    /// Processing states (their ServerId names the process id: "host:pid:app:…"); null if unreadable.
    /// </summary>
    public async Task<Dictionary<int, long>?> JobsStartedPerProcessAsync(long afterJobId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(
                $"SELECT data::json->>'ServerId', count(*) FROM {Hangfire}.state WHERE name = 'Processing' AND jobid > @after GROUP BY 1", connection);
            command.Parameters.AddWithValue("after", afterJobId);
            var perProcess = new Dictionary<int, long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var parts = (reader.IsDBNull(0) ? "" : reader.GetString(0)).Split(':');
                if (parts.Length > 1 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var pid))
                {
                    perProcess[pid] = perProcess.GetValueOrDefault(pid) + reader.GetInt64(1);
                }
            }

            return perProcess;
        }
        catch (PostgresException)
        {
            return null;
        }
    }

    /// <summary>Reads Hangfire's queue; the parts that fail (a renamed schema, other job arguments) come back null.</summary>
    public sealed class QueueReader(Database database, NpgsqlConnection connection)
    {
        private bool jobQueueMissing;

        /// <summary>The server process of this reader's connection (taken while it was open).</summary>
        public int BackendPid { get; } = connection.ProcessID;

        private bool argumentsUnreadable;
        private string? leaseSql;
        private bool leaseLooked;

        public async Task<QueueSample> ReadAsync(CancellationToken cancellationToken)
        {
            long queued = -1, fetched = -1, processing = -1;
            long? claimed = null, leased = null;
            if (!jobQueueMissing)
            {
                try
                {
                    await using var command = new NpgsqlCommand(
                        $"""
                        SELECT count(*) FILTER (WHERE fetchedat IS NULL), count(*) FILTER (WHERE fetchedat IS NOT NULL),
                               (SELECT count(*) FROM {database.Hangfire}.job WHERE statename = 'Processing')
                        FROM {database.Hangfire}.jobqueue
                        """, connection);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    await reader.ReadAsync(cancellationToken);
                    (queued, fetched, processing) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
                }
                catch (PostgresException)
                {
                    jobQueueMissing = true;
                }
            }

            if (!jobQueueMissing && !argumentsUnreadable)
            {
                try
                {
                    // Checks held by the leases of jobs not yet finished: a batch job's only argument is its lease id.
                    claimed = Convert.ToInt64(await ScalarAsync(connection,
                        $"""
                        SELECT count(*) FROM {database.Names.ChecksTable} c
                        WHERE c."LeaseId" IS NOT NULL AND c."LeaseId"::text IN (
                            SELECT trim(both '"' from (arguments::json->>0)) FROM {database.Hangfire}.job WHERE statename IN ('Enqueued', 'Processing'))
                        """,
                        cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (PostgresException)
                {
                    argumentsUnreadable = true;
                }
            }

            if (!leaseLooked)
            {
                leaseLooked = true;
                leaseSql = await LeaseQueryAsync(cancellationToken);
            }

            if (leaseSql is not null)
            {
                try
                {
                    leased = Convert.ToInt64(await ScalarAsync(connection, leaseSql, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (PostgresException)
                {
                    leaseSql = null;
                }
            }

            return new QueueSample(DateTimeOffset.UtcNow, queued, fetched, processing, claimed, leased);
        }

        /// <summary>
        /// If the checks table has the engine's lease column, count the checks holding an unexpired
        /// lease (while leased, "NextRunAt" is the lease's expiry).
        /// </summary>
        private async Task<string?> LeaseQueryAsync(CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT count(*) FROM pg_attribute a
                WHERE a.attrelid = @t::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = 'LeaseId'
                """, connection);
            command.Parameters.AddWithValue("t", database.Names.ChecksTable);
            var found = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
            return found
                ? $"SELECT count(*) FROM {database.Names.ChecksTable} WHERE \"LeaseId\" IS NOT NULL AND {database.Names.NextRunAt} > now()"
                : null;
        }
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
