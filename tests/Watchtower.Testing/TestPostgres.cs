using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

    /// <summary>A throwaway cluster from the machine's PostgreSQL binaries, removed at process exit.</summary>
    private static class LocalPostgres
    {
        public static async Task<Server?> TryStartAsync()
        {
            var bin = Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                    .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
                : null;
            if (bin is null)
            {
                return null;
            }

            var root = Path.Combine(Path.GetTempPath(), $"watchtower-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
            var data = Path.Combine(root, "data");
            var socket = Path.Combine(root, "sock");
            var port = FreePort();
            var asRoot = Environment.UserName == "root";
            Directory.CreateDirectory(root);
            if (asRoot)
            {
                // initdb and pg_ctl refuse to run as root: run them as the postgres user, who must own the folders.
                await RunAsync("chmod", ["755", root]);
                await RunAsync("install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "700", data]);
                await RunAsync("install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "755", socket]);
            }
            else
            {
                Directory.CreateDirectory(data);
                Directory.CreateDirectory(socket);
            }

            string[] Pg(string tool, params string[] args) => asRoot ? ["-u", "postgres", "--", Path.Combine(bin, tool), .. args] : args;
            string Exe(string tool) => asRoot ? "runuser" : Path.Combine(bin, tool);

            await File.WriteAllTextAsync(Path.Combine(root, "pw"), "watchtower\n");
            if (asRoot)
            {
                await RunAsync("chown", ["postgres:postgres", Path.Combine(root, "pw")]);
            }

            await RunAsync(Exe("initdb"), Pg("initdb", "-D", data, "-U", "watchtower", "--pwfile", Path.Combine(root, "pw"), "-E", "UTF8",
                "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"));
            await RunAsync(Exe("pg_ctl"), Pg("pg_ctl", "-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-t", "30", "-o",
                $"-p {port} -k {socket} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                "start"));
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    RunAsync(Exe("pg_ctl"), Pg("pg_ctl", "-D", data, "-m", "immediate", "stop")).GetAwaiter().GetResult();
                    Directory.Delete(root, recursive: true);
                }
#pragma warning disable CA1031 // Best effort at exit: a leftover temp folder is harmless.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            };
            return new Server($"Host=127.0.0.1;Port={port};Database=postgres;Username=watchtower;Password=watchtower", "");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static async Task RunAsync(string file, string[] args)
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}");
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
            }
        }
    }
}
