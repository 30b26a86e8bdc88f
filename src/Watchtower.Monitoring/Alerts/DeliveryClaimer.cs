using Microsoft.EntityFrameworkCore;
using Npgsql;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Alerts;

/// <summary>Leases due deliveries, at most <c>limit</c> under one new lease; returns the lease and how many it holds.</summary>
public interface IDeliveryClaimer
{
    Task<(Guid Lease, int Count)> ClaimAsync(DateTimeOffset now, int limit, TimeSpan leaseFor, CancellationToken cancellationToken);
}

/// <summary>
/// One statement: lock due rows with FOR UPDATE SKIP LOCKED (a concurrent dispatcher skips them) and
/// lease them; the lease's expiry is written into NextAttemptAt, so a batch that never finishes is
/// due again when it runs out, with no second column for the claim to look at.
/// </summary>
internal sealed class PostgresDeliveryClaimer(WatchtowerDbContext db) : IDeliveryClaimer
{
    private const string ClaimSql = """
        WITH due AS (
            SELECT "Id" FROM alert_deliveries
            WHERE "Status" = 'Pending' AND "NextAttemptAt" <= @now
            ORDER BY "NextAttemptAt"
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        UPDATE alert_deliveries d SET "LeaseId" = @lease, "NextAttemptAt" = @until
        FROM due WHERE d."Id" = due."Id"
        """;

    public async Task<(Guid Lease, int Count)> ClaimAsync(DateTimeOffset now, int limit, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        var lease = Guid.NewGuid();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(ClaimSql, connection);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("until", now + leaseFor);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("lease", lease);
        var count = await command.ExecuteNonQueryAsync(cancellationToken);
        return (lease, count);
    }
}

/// <summary>The embedded store has one process and SQLite serialises writers: read, then lease, in one transaction.</summary>
internal sealed class SqliteDeliveryClaimer(WatchtowerDbContext db) : IDeliveryClaimer
{
    public async Task<(Guid Lease, int Count)> ClaimAsync(DateTimeOffset now, int limit, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        var lease = Guid.NewGuid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = await db.AlertDeliveries
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt)
            .Take(limit)
            .Select(d => d.Id)
            .ToListAsync(cancellationToken);
        var until = now + leaseFor;
        var count = ids.Count == 0 ? 0 : await db.AlertDeliveries
            .Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseId, lease).SetProperty(d => d.NextAttemptAt, until), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (lease, count);
    }
}
