using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Watchtower.Testing.Servers;

/// <summary>
/// A real server program (redis-server, sshd, dovecot, …) started by a test on 127.0.0.1, ready
/// once its port accepts connections, killed with its children when disposed.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServerProcess(Process process, string name)
    {
        this.process = process;
        Name = name;
    }

    public string Name { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>True when WATCHTOWER_REQUIRE_SERVERS=1 (CI): a missing server is then a failure, not a skip.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("WATCHTOWER_REQUIRE_SERVERS") == "1";

    /// <summary>Skips (or, when required, fails) unless <paramref name="path"/> exists; names the Debian package to install.</summary>
    public static void RequireBinary(string path, string package)
    {
        if (File.Exists(path))
        {
            return;
        }

        var reason = $"{path} is not installed; install the Debian package {package} (apt-get install {package}) to run this test.";
        if (Required)
        {
            Assert.Fail(reason + " (WATCHTOWER_REQUIRE_SERVERS=1 turns this skip into a failure.)");
        }

        Assert.Skip(reason);
    }

    /// <summary>
    /// Skips (or, when required, fails) unless the tests run as root: some daemons (sshd, dovecot, vsftpd,
    /// Exim, xrdp) start from their packaged defaults only as root, as .ci/run runs them.
    /// </summary>
    public static void RequireRoot(string server)
    {
        if (Environment.UserName == "root")
        {
            return;
        }

        var reason = $"{server} starts from its packaged defaults only as root; run the tests as root (as .ci/run does) to include this test.";
        if (Required)
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the program and waits until 127.0.0.1:<paramref name="port"/> accepts a connection.</summary>
    public static Task<ServerProcess> StartAsync(string name, string file, IEnumerable<string> args, int port, TimeSpan? readyWithin = null) =>
        StartAsync(name, file, args, [port], readyWithin);

    /// <summary>Starts the program and waits until each of <paramref name="ports"/> on 127.0.0.1 accepts a connection.</summary>
    public static async Task<ServerProcess> StartAsync(string name, string file, IEnumerable<string> args, IReadOnlyList<int> ports, TimeSpan? readyWithin = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}");
        var server = new ServerProcess(process, name);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + (readyWithin ?? TimeSpan.FromSeconds(20));
        foreach (var port in ports)
        {
            await WaitForPortAsync(server, process, port, deadline);
        }

        return server;
    }

    private static async Task WaitForPortAsync(ServerProcess server, Process process, int port, DateTime deadline)
    {
        var name = server.Name;
        while (true)
        {
            if (process.HasExited)
            {
                await Task.Delay(100);
                throw new InvalidOperationException($"{name} exited with {process.ExitCode} before it listened on port {port}: {server.Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"{name} did not listen on port {port} in time: {server.Output}");
            }
        }
    }

    /// <summary>Runs a setup program to completion (initialisers, key generators); throws with its output on failure.</summary>
    public static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout} {await stderr}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < 20_000)
            {
                output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (TimeoutException)
        {
        }

        process.Dispose();
    }
}
