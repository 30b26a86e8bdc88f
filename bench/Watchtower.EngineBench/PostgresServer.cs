using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Watchtower.EngineBench;

/// <summary>
/// The PostgreSQL the run uses: a private cluster started from the local binaries (default; fsync
/// on unless told otherwise), or an existing server given by connection string. Only a cluster whose
/// data directory is known can be restarted and have its CPU counted.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? root;
    private readonly string? pgCtl;
    private readonly string? startOptions;
    private readonly string? logFile;

    private PostgresServer(string adminConnectionString, string? dataDirectory, string? root, string? pgCtl, string? startOptions, string? logFile, string description)
    {
        AdminConnectionString = adminConnectionString;
        DataDirectory = dataDirectory;
        this.root = root;
        this.pgCtl = pgCtl;
        this.startOptions = startOptions;
        this.logFile = logFile;
        Description = description;
    }

    /// <summary>A superuser (or CREATEDB) connection to the maintenance database.</summary>
    public string AdminConnectionString { get; }

    public string? DataDirectory { get; }

    public string Description { get; }

    public bool CanRestart => pgCtl is not null && DataDirectory is not null;

    /// <summary>The postmaster's process id, from postmaster.pid; null when unknown or not readable.</summary>
    public int? PostmasterPid
    {
        get
        {
            try
            {
                return DataDirectory is null ? null
                    : int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
            {
                return null;
            }
        }
    }

    public static async Task<PostgresServer> StartPrivateAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("No PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql), and no pg=<connection string> given.");
        }

        var root = Path.Combine(ChildRegistry.StateDirectory, $"pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        var data = Path.Combine(root, "data");
        var socket = Path.Combine(root, "sock");
        var log = Path.Combine(root, "server.log");
        var asRoot = Environment.UserName == "root";
        Directory.CreateDirectory(root);
        ChildRegistry.AddCluster(root, data, Path.Combine(bin, "pg_ctl"));
        if (asRoot)
        {
            // initdb and pg_ctl refuse to run as root: the postgres user runs them and owns the folders.
            await RunAsync("chmod", ["755", root], cancellationToken);
            await RunAsync("install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "700", data], cancellationToken);
            await RunAsync("install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "755", socket], cancellationToken);
            await RunAsync("install", ["-o", "postgres", "-g", "postgres", "-m", "600", "/dev/null", log], cancellationToken);
        }
        else
        {
            Directory.CreateDirectory(data);
            Directory.CreateDirectory(socket);
        }

        var passwordFile = Path.Combine(root, "pw");
        await File.WriteAllTextAsync(passwordFile, "watchtower\n", cancellationToken);
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", passwordFile], cancellationToken);
        }

        await RunPgAsync(bin, "initdb", ["-D", data, "-U", "watchtower", "--pwfile", passwordFile, "-E", "UTF8", "--locale=C.UTF-8",
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"], cancellationToken);
        File.Delete(passwordFile);

        var port = FreePort();
        var options = new List<string> { $"-p {port}", $"-k {socket}", "-c listen_addresses=127.0.0.1", "-c max_connections=500" };
        if (!settings.Fsync)
        {
            options.Add("-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }

        options.AddRange(settings.PostgresSettings.Select(kv => $"-c {kv.Key}={kv.Value}"));
        var startOptions = string.Join(' ', options);
        await RunPgAsync(bin, "pg_ctl", ["-D", data, "-l", log, "-w", "-t", "60", "-o", startOptions, "start"], cancellationToken);
        var admin = $"Host=127.0.0.1;Port={port};Database=postgres;Username=watchtower;Password=watchtower;Pooling=false";
        var fsync = settings.Fsync ? "fsync on" : "fsync off";
        return new PostgresServer(admin, data, root, Path.Combine(bin, "pg_ctl"), startOptions, log,
            $"private PostgreSQL {Path.GetFileName(Path.GetDirectoryName(bin))} on 127.0.0.1:{port} ({fsync}; {root})");
    }

    /// <summary>An existing server; with its data directory (pg-datadir=) it can also be restarted and measured.</summary>
    public static async Task<PostgresServer> ExternalAsync(string connectionString, string? dataDirectory, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        if (dataDirectory is null)
        {
            try
            {
                await using var command = new NpgsqlCommand("SHOW data_directory", connection);
                dataDirectory = (string?)await command.ExecuteScalarAsync(cancellationToken);
            }
            catch (PostgresException)
            {
                // Not a superuser: no restart, no CPU of PostgreSQL.
            }
        }

        var version = connection.PostgreSqlVersion;
        var pgCtl = dataDirectory is null ? null : $"/usr/lib/postgresql/{version.Major}/bin/pg_ctl";
        if (pgCtl is not null && !File.Exists(pgCtl))
        {
            pgCtl = null;
        }

        return new PostgresServer(builder.ConnectionString, dataDirectory, null, pgCtl, null, null,
            $"existing PostgreSQL {version} at {builder.Host}:{builder.Port}" + (dataDirectory is null ? "" : $" ({dataDirectory})"));
    }

    /// <summary>A new empty database; returns the connection string the apps use (pooled).</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>pg_ctl restart -m fast. Returns when the command was given and when the server accepted connections again.</summary>
    public async Task<(DateTimeOffset Down, DateTimeOffset Up)> RestartAsync(CancellationToken cancellationToken)
    {
        if (!CanRestart)
        {
            throw new InvalidOperationException("This PostgreSQL cannot be restarted by the harness (no data directory or pg_ctl).");
        }

        var down = DateTimeOffset.UtcNow;
        var bin = Path.GetDirectoryName(pgCtl)!;
        List<string> args = ["-D", DataDirectory!, "-m", "fast", "-w", "-t", "120"];
        if (startOptions is not null)
        {
            args.AddRange(["-o", startOptions, "-l", logFile!]);
        }

        args.Add("restart");
        await RunPgAsync(bin, "pg_ctl", [.. args], cancellationToken);
        // pg_ctl -w returns once the server accepts connections; confirm with a real one.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync(cancellationToken);
                break;
            }
            catch (NpgsqlException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        return (down, DateTimeOffset.UtcNow);
    }

    public async ValueTask DisposeAsync()
    {
        if (root is null || DataDirectory is null || pgCtl is null)
        {
            return;
        }

        try
        {
            await RunPgAsync(Path.GetDirectoryName(pgCtl)!, "pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], CancellationToken.None);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"pg_ctl stop: {ex.Message}");
        }

        ChildRegistry.RemoveCluster(root);
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"Could not remove {root}: {ex.Message}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunPgAsync(string bin, string tool, string[] args, CancellationToken cancellationToken) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args], cancellationToken)
            : RunAsync(Path.Combine(bin, tool), args, cancellationToken);

    private static async Task RunAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        // From "/": the postgres user may not be allowed into the caller's working directory.
        var info = new ProcessStartInfo(file) { WorkingDirectory = "/", RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
