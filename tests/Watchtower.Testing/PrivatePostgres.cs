using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Watchtower.Testing;

/// <summary>
/// A PostgreSQL server of the test's own, from the machine's PostgreSQL binaries, in a temp folder
/// with its own port and socket folder: a test may stop, start and restart it (fault tests), which
/// it must never do to a shared server. Also the last resort of <see cref="TestPostgres"/>.
/// initdb and pg_ctl refuse to run as root: as root they run as the postgres user (runuser), from
/// "/" (the postgres user may not enter the caller's folder), in folders that user owns.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const string Password = "watchtower";

    private readonly string bin;
    private readonly string root;
    private readonly string data;
    private readonly string options;
    private readonly bool asRoot;
    private int disposed;

    private PrivatePostgres(string bin, string root, int port)
    {
        this.bin = bin;
        this.root = root;
        Port = port;
        data = Path.Combine(root, "data");
        var socket = Path.Combine(root, "sock");
        asRoot = Environment.UserName == "root";
        // Unsafe speed settings: the data is thrown away. Enough connections for many test apps at once.
        options = $"-p {port} -k {socket} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
    }

    public int Port { get; }

    /// <summary>A superuser connection to the server's postgres database.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Database=postgres;Username=watchtower;Password={Password}";

    /// <summary>Whether the server is running now (as far as this object has started and stopped it).</summary>
    public bool IsRunning { get; private set; }

    /// <summary>The directory of the newest PostgreSQL's binaries on this machine, or null.</summary>
    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;

    /// <summary>
    /// Starts a new server, or skips the test with the reason when this machine has no PostgreSQL
    /// binaries (a failure when WATCHTOWER_REQUIRE_POSTGRES=1).
    /// </summary>
    public static async Task<PrivatePostgres> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = await TryStartAsync(cancellationToken);
        if (server is null)
        {
            var reason = "This test starts and stops a PostgreSQL server of its own and needs the PostgreSQL binaries " +
                         "(apt-get install postgresql): none under /usr/lib/postgresql.";
            if (TestPostgres.Required)
            {
                Assert.Fail(reason + " (WATCHTOWER_REQUIRE_POSTGRES=1 turns this skip into a failure.)");
            }

            Assert.Skip(reason);
        }

        return server;
    }

    /// <summary>Starts a new server; null when this machine has no PostgreSQL binaries.</summary>
    public static async Task<PrivatePostgres?> TryStartAsync(CancellationToken cancellationToken = default)
    {
        var bin = FindBinaries();
        if (bin is null)
        {
            return null;
        }

        var root = Path.Combine(Path.GetTempPath(), $"watchtower-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var server = new PrivatePostgres(bin, root, FreePort());
        try
        {
            await server.InitAsync(cancellationToken);
            await server.StartAgainAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new, empty database on this server, and a pooled connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 20 }.ConnectionString;
    }

    /// <summary>
    /// Stops the server. "fast" (the default) is what a service manager does: sessions are told
    /// (57P01 admin_shutdown) and closed; "immediate" is a crash, sockets just close.
    /// </summary>
    public async Task StopAsync(string mode = "fast", CancellationToken cancellationToken = default)
    {
        await PgAsync("pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "30", "stop"], cancellationToken);
        IsRunning = false;
    }

    /// <summary>Starts the (stopped) server again on the same port, with the same data.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        await PgAsync("pg_ctl", ["-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-t", "30", "-o", options, "start"], cancellationToken);
        IsRunning = true;
    }

    /// <summary>Stops (fast) and starts the server: every connection open before is gone after.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync("fast", cancellationToken);
        await StartAgainAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                await PgAsync("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Already stopped: nothing to do.
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task InitAsync(CancellationToken cancellationToken)
    {
        var socket = Path.Combine(root, "sock");
        Directory.CreateDirectory(root);
        var passwordFile = Path.Combine(root, "pw");
        await File.WriteAllTextAsync(passwordFile, Password + "\n", cancellationToken);
        if (asRoot)
        {
            // The postgres user must own the folders and be able to walk into the root one.
            await RunAsync("chmod", ["755", root], cancellationToken);
            await RunAsync("install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "700", data], cancellationToken);
            await RunAsync("install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "755", socket], cancellationToken);
            await RunAsync("chown", ["postgres:postgres", passwordFile], cancellationToken);
        }
        else
        {
            Directory.CreateDirectory(data);
            Directory.CreateDirectory(socket);
        }

        await PgAsync("initdb", ["-D", data, "-U", "watchtower", "--pwfile", passwordFile, "-E", "UTF8",
            "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"], cancellationToken);
    }

    private Task PgAsync(string tool, string[] args, CancellationToken cancellationToken) =>
        asRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args], cancellationToken)
            : RunAsync(Path.Combine(bin, tool), args, cancellationToken);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        }
    }
}
