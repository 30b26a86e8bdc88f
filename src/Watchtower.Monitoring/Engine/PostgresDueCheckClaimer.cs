using Microsoft.EntityFrameworkCore;
using Watchtower.Data;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// One statement: pick due rows with FOR UPDATE SKIP LOCKED (concurrent dispatchers skip each
/// other's rows), push next_run forward on the check's own cadence, return what was claimed.
/// </summary>
internal sealed class PostgresDueCheckClaimer(WatchtowerDbContext db) : IDueCheckClaimer
{
    public async Task<IReadOnlyList<ClaimedCheck>> ClaimDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH due AS (
                SELECT "Id" FROM checks
                WHERE "Enabled" AND "NextRunAt" <= @now
                ORDER BY "NextRunAt"
                LIMIT @limit
                FOR UPDATE SKIP LOCKED)
            UPDATE checks c
            SET "NextRunAt" = CASE
                WHEN c."NextRunAt" + make_interval(secs => c."IntervalSeconds") > @now
                    THEN c."NextRunAt" + make_interval(secs => c."IntervalSeconds")
                ELSE @now + make_interval(secs => c."IntervalSeconds") END
            FROM due WHERE c."Id" = due."Id"
            RETURNING c."Id", c."Location"
            """;
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        var claimed = new List<ClaimedCheck>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedCheck(reader.GetInt32(0), reader.GetString(1)));
        }

        return claimed;
    }
}
