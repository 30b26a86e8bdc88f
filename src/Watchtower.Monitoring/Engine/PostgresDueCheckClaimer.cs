using Microsoft.EntityFrameworkCore;
using Npgsql;
using Watchtower.Data;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// One statement: lock one location's due rows with FOR UPDATE SKIP LOCKED (concurrent dispatchers
/// skip each other's rows), lease the ones due now in numbered batches, move the long-overdue ones
/// to their catch-up slot (the formula of <see cref="Schedule"/>, in SQL), return what was done.
/// </summary>
internal sealed class PostgresDueCheckClaimer(WatchtowerDbContext db) : IDueCheckClaimer
{
    private const string ClaimSql = """
        WITH due AS (
            SELECT "Id", "NextRunAt" FROM checks
            WHERE "Enabled" AND "Location" = @location AND "NextRunAt" <= @now AND "NextRunAt" >= @late
            ORDER BY "NextRunAt"
            LIMIT @limit
            FOR UPDATE SKIP LOCKED),
        overdue AS (
            SELECT "Id", "NextRunAt" FROM checks
            WHERE "Enabled" AND "Location" = @location AND "NextRunAt" < @late
            ORDER BY "NextRunAt"
            LIMIT @lateLimit
            FOR UPDATE SKIP LOCKED),
        locked AS (SELECT * FROM due UNION ALL SELECT * FROM overdue),
        numbered AS (
            SELECT "Id", "NextRunAt" < @late AS late,
                   row_number() OVER (PARTITION BY "NextRunAt" < @late ORDER BY "NextRunAt") - 1 AS n
            FROM locked),
        periods AS (
            SELECT x."Id", x.late, x.n, LEAST(c."IntervalSeconds"::bigint * 1000, @catchUpMs) AS period
            FROM numbered x JOIN checks c ON c."Id" = x."Id")
        UPDATE checks c
        SET "LeaseId" = CASE WHEN p.late THEN NULL ELSE (@leases)[p.n / @batch + 1] END,
            "NextRunAt" = CASE
                WHEN p.late THEN to_timestamp((@nowMs
                    - (((@nowMs - (c."Id"::bigint * @multiplier) % p.period) % p.period + p.period) % p.period)
                    + p.period) / 1000.0)
                ELSE @now + make_interval(secs => c."TimeoutSeconds") + @margin END
        FROM periods p WHERE c."Id" = p."Id"
        RETURNING c."LeaseId"
        """;

    public async Task<ClaimOutcome> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        var leases = new Guid[(request.Limit + request.BatchSize - 1) / request.BatchSize];
        for (var i = 0; i < leases.Length; i++)
        {
            leases[i] = Guid.NewGuid();
        }

        await using var command = await CommandAsync(ClaimSql, cancellationToken);
        command.Parameters.AddWithValue("location", request.Location);
        command.Parameters.AddWithValue("now", request.Now);
        command.Parameters.AddWithValue("nowMs", request.Now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("late", request.Now - request.CatchUpAfter);
        command.Parameters.AddWithValue("limit", request.Limit);
        command.Parameters.AddWithValue("lateLimit", request.LateLimit);
        command.Parameters.AddWithValue("batch", request.BatchSize);
        command.Parameters.AddWithValue("leases", leases);
        command.Parameters.AddWithValue("margin", request.LeaseMargin);
        command.Parameters.AddWithValue("catchUpMs", (long)Schedule.LongestCatchUp.TotalMilliseconds);
        command.Parameters.AddWithValue("multiplier", Schedule.PhaseMultiplier);
        var counts = new Dictionary<Guid, int>();
        var rescheduled = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsDBNull(0))
                {
                    rescheduled++;
                }
                else
                {
                    var lease = reader.GetGuid(0);
                    counts[lease] = counts.GetValueOrDefault(lease) + 1;
                }
            }
        }

        return new ClaimOutcome([.. counts.Select(c => new LeasedBatch(c.Key, c.Value))], rescheduled);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountLeasedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            """SELECT "Location", count(*)::int FROM checks WHERE "LeaseId" IS NOT NULL AND "NextRunAt" > @now GROUP BY "Location" """,
            cancellationToken);
        command.Parameters.AddWithValue("now", now);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        return new NpgsqlCommand(sql, connection);
    }
}
