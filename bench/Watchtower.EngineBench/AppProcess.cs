using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Watchtower.EngineBench;

/// <summary>
/// A Worker or Web host as a separate OS process (<c>dotnet &lt;dll&gt;</c>), configured only through
/// environment variables, its console written to a log file, listening on 127.0.0.1 only.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process process;

    private AppProcess(string name, Process process, string logPath, int port, DateTimeOffset startedAt)
    {
        Name = name;
        this.process = process;
        LogPath = logPath;
        Port = port;
        StartedAt = startedAt;
    }

    public string Name { get; }
    public int Pid => process.Id;
    public string LogPath { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public DateTimeOffset StartedAt { get; }
    public DateTimeOffset? ReadyAt { get; private set; }
    public bool HasExited => process.HasExited;

    /// <param name="configuration">Configuration keys ("Watchtower:Engine:RunServer") and values, passed as environment variables.</param>
    public static AppProcess Start(string name, string dll, string contentRoot, IReadOnlyDictionary<string, string> configuration, string logDirectory)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build first (dotnet build -c Release).", dll);
        }

        var port = FreePort();
        var log = Path.Combine(logDirectory, $"{name}.log");
        // exec: the shell becomes dotnet, so the process id is the app's and the harness pumps no output.
        var info = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-c", "exec \"$0\" \"$@\" >>\"$WT_BENCH_LOG\" 2>&1", "dotnet", dll,
                     "--urls", $"http://127.0.0.1:{port}", "--contentRoot", contentRoot })
        {
            info.ArgumentList.Add(arg);
        }

        // Nothing of the caller's own app configuration leaks in.
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)
                || key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Watchtower__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Serilog__", StringComparison.OrdinalIgnoreCase))
            {
                info.Environment.Remove(key);
            }
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["WT_BENCH_LOG"] = log;
        foreach (var (key, value) in configuration)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {dll}");
        ChildRegistry.AddProcess(process);
        return new AppProcess(name, process, log, port, DateTimeOffset.UtcNow);
    }

    /// <summary>Waits for /health/ready to answer 200 (the database migrated and reachable).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} before it was ready. Last lines of {LogPath}:\n{Tail(40)}");
            }

            try
            {
                using var response = await Health.GetAsync(new Uri(BaseAddress, "health/ready"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    ReadyAt = DateTimeOffset.UtcNow;
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} was not ready after {timeout.TotalSeconds:0} s. Last lines of {LogPath}:\n{Tail(40)}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>SIGTERM (the host's graceful stop), then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        NativeMethods.kill(process.Id, NativeMethods.SigTerm);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"  {Name} did not stop within {grace.TotalSeconds:0} s of SIGTERM; killing it");
            KillNow();
            await process.WaitForExitAsync();
        }

        ChildRegistry.RemoveProcess(process.Id);
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void KillNow()
    {
        if (!process.HasExited)
        {
            NativeMethods.kill(process.Id, NativeMethods.SigKill);
        }
    }

    public string Tail(int lines)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillNow();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }

        ChildRegistry.RemoveProcess(process.Id);
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
