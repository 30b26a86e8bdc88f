using Npgsql;
using Testcontainers.PostgreSql;

namespace Watchtower.Testing;

/// <summary>
/// A real PostgreSQL for tests, found once per test process in this order (DESIGN.md §6):
/// 1. the connection string in WATCHTOWER_TEST_POSTGRES;
/// 2. Testcontainers, when a Docker engine answers;
/// 3. a throwaway server started from the local PostgreSQL binaries;
/// otherwise the test is skipped with a message that says how to get one — or fails, when
/// WATCHTOWER_REQUIRE_POSTGRES=1 (CI), so CI can never pass without PostgreSQL.
/// Every call gets its own new, empty database.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<Server>> Shared = new(FindServerAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool Required => Environment.GetEnvironmentVariable("WATCHTOWER_REQUIRE_POSTGRES") == "1";

    /// <summary>A connection string to a new empty database, or a skip (a failure when required).</summary>
    public static async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var server = await Shared.Value;
        if (server.AdminConnectionString is null)
        {
            var reason = $"PostgreSQL is not available: {server.Why} To run these tests, set WATCHTOWER_TEST_POSTGRES to a connection string " +
                         "whose role may CREATE DATABASE, start Docker (Testcontainers), or install PostgreSQL (apt-get install postgresql).";
            if (Required)
            {
                Assert.Fail(reason + " (WATCHTOWER_REQUIRE_POSTGRES=1 turns this skip into a failure.)");
            }

            Assert.Skip(reason);
        }

        var name = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 20 }.ConnectionString;
    }

    private sealed record Server(string? AdminConnectionString, string Why);

    private static async Task<Server> FindServerAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("WATCHTOWER_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new Server(fromEnvironment, "");
        }

        var docker = await TryTestcontainersAsync();
        if (docker.AdminConnectionString is not null)
        {
            return docker;
        }

        var local = await LocalPostgres.TryStartAsync();
        return local ?? new Server(null, $"{docker.Why} No local PostgreSQL binaries under /usr/lib/postgresql either.");
    }

    private static async Task<Server> TryTestcontainersAsync()
    {
        try
        {
            var container = new PostgreSqlBuilder("postgres:16-alpine").Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new Server(container.GetConnectionString(), "");
        }
#pragma warning disable CA1031 // Any failure here means "no Docker"; the next source is tried.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new Server(null, $"Docker is not available ({ex.GetType().Name}).");
        }
    }

    /// <summary>A throwaway cluster from the machine's PostgreSQL binaries (<see cref="PrivatePostgres"/>), removed at process exit.</summary>
    private static class LocalPostgres
    {
        public static async Task<Server?> TryStartAsync()
        {
            var server = await PrivatePostgres.TryStartAsync();
            if (server is null)
            {
                return null;
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
#pragma warning disable CA1031 // Best effort at exit: a leftover temp folder is harmless.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            };
            return new Server(server.AdminConnectionString, "");
        }
    }
}
