using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Watchtower.Data;

/// <summary>
/// PostgreSQL: when a command or an open fails because the server went away (a restart, a failover,
/// a dropped network), every idle connection in the pool is as dead as the one that failed. Npgsql
/// discards only the broken one; this clears the whole pool at the first such failure, so that the
/// execution strategy's retry (and every request after it) opens a fresh connection instead of
/// drawing the next dead one, one failed attempt per pooled connection.
/// </summary>
public sealed class StaleConnections : IDbCommandInterceptor, IDbConnectionInterceptor
{
    public static readonly StaleConnections Instance = new();

    private StaleConnections()
    {
    }

    /// <summary>How many times a failure cleared the pool in this process (for logs and tests).</summary>
    public static long PoolsCleared => Interlocked.Read(ref cleared);

    private static long cleared;

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Clear(command.Connection, eventData.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Clear(command.Connection, eventData.Exception);
        return Task.CompletedTask;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Clear(connection, eventData.Exception);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Clear(connection, eventData.Exception);
        return Task.CompletedTask;
    }

    /// <summary>True for the failures after which pooled connections are not to be trusted: the server is gone or going.</summary>
    public static bool MeansServerGone(Exception? exception) => exception switch
    {
        // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up), 08xxx connection exceptions.
        PostgresException postgres => postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        // Not a server's answer: the socket was refused, reset or timed out.
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };

    private static void Clear(DbConnection? connection, Exception? exception)
    {
        if (connection is NpgsqlConnection npgsql && MeansServerGone(exception))
        {
            NpgsqlConnection.ClearPool(npgsql);
            Interlocked.Increment(ref cleared);
        }
    }
}
