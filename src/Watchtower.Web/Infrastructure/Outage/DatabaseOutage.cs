using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Watchtower.Web.Infrastructure.Outage;

/// <summary>
/// Tells "the database cannot be reached" apart from every other failure: those requests get a
/// 503 that says so (and the public status page its last good rendering), never a 500.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps) says the database is away: EF Core
    /// gave up retrying transient failures, a connection could not be opened or was cut, or the
    /// server is shutting down or starting up. Constraint violations and bugs are not outages.
    /// </summary>
    public static bool IsOutage(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RetryLimitExceededException:
                    return true;
                case PostgresException postgres:
                    return IsOutageState(postgres.SqlState);
                case NpgsqlException npgsql:
                    // Not a server's answer: refused, reset, timed out or broken — transient by Npgsql's reading.
                    return npgsql.IsTransient;
            }
        }

        return false;
    }

    /// <summary>Connection exceptions (08), shutdown and start-up (57P0x), too many connections (53300).</summary>
    private static bool IsOutageState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("57P", StringComparison.Ordinal) || sqlState == PostgresErrorCodes.TooManyConnections;
}
