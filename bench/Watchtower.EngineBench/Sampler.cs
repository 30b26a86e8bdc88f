using Npgsql;

namespace Watchtower.EngineBench;

/// <summary>
/// Once a second: CPU and RSS of every app process the harness started (from /proc), CPU of the
/// PostgreSQL cluster (postmaster + backends, the harness's own sampling connection left out), and
/// Hangfire's queue. Window figures are differences between readings, so a process that starts,
/// is killed or restarts in between is counted for the part of the window it lived.
/// </summary>
public sealed class Sampler : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<(DateTimeOffset At, double CpuMs, long Rss)>> apps = [];
    private readonly Dictionary<int, List<(DateTimeOffset At, double CpuMs)>> postgres = [];
    private readonly List<QueueSample> queue = [];
    private readonly List<AppProcess> tracked = [];
    private readonly PostgresServer server;
    private readonly Database database;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public Sampler(PostgresServer server, Database database)
    {
        this.server = server;
        this.database = database;
        loop = Task.Run(RunAsync);
    }

    public bool PostgresMeasured { get; private set; }

    public void Track(AppProcess process)
    {
        lock (gate)
        {
            tracked.Add(process);
        }
    }

    public IReadOnlyList<QueueSample> Queue
    {
        get
        {
            lock (gate)
            {
                return [.. queue];
            }
        }
    }

    public QueueSample? LatestQueue
    {
        get
        {
            lock (gate)
            {
                return queue.Count == 0 ? null : queue[^1];
            }
        }
    }

    private async Task RunAsync()
    {
        Database.QueueReader? reader = null;
        NpgsqlConnection? connection = null;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            var now = DateTimeOffset.UtcNow;
            List<AppProcess> processes;
            lock (gate)
            {
                processes = [.. tracked];
            }

            foreach (var app in processes)
            {
                if (ProcStat.Read(app.Pid) is { } stat)
                {
                    lock (gate)
                    {
                        (apps.TryGetValue(app.Name, out var series) ? series : apps[app.Name] = []).Add((now, stat.CpuMs, stat.RssBytes));
                    }
                }
            }

            try
            {
                if (reader is null)
                {
                    connection = await database.OpenAsync(stop.Token);
                    reader = new Database.QueueReader(database, connection);
                }

                var sample = await reader.ReadAsync(stop.Token);
                lock (gate)
                {
                    queue.Add(sample);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The database is away (the restart scenario): reconnect on the next tick.
                reader = null;
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                    connection = null;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (server.PostmasterPid is { } postmaster)
            {
                var cpu = ProcStat.ClusterCpuMs(postmaster, reader is null ? [] : [reader.BackendPid]);
                if (!double.IsNaN(cpu))
                {
                    PostgresMeasured = true;
                    lock (gate)
                    {
                        (postgres.TryGetValue(postmaster, out var series) ? series : postgres[postmaster] = []).Add((now, cpu));
                    }
                }
            }
        }
        while (await WaitAsync(timer));

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>CPU milliseconds the named process used between two instants (0 if it did not run then).</summary>
    public double AppCpuMs(string name, DateTimeOffset from, DateTimeOffset to)
    {
        lock (gate)
        {
            return apps.TryGetValue(name, out var series) ? Delta(series.Select(s => (s.At, s.CpuMs)).ToList(), from, to) : 0;
        }
    }

    public IReadOnlyList<string> AppNames(string prefix)
    {
        lock (gate)
        {
            return apps.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order().ToList();
        }
    }

    /// <summary>The most RSS the process had in the window, and what it had at the window's end (0 if it was no longer running then).</summary>
    public (long Max, long Last) AppRss(string name, DateTimeOffset from, DateTimeOffset to)
    {
        lock (gate)
        {
            var inWindow = apps.TryGetValue(name, out var series) ? series.Where(s => s.At >= from && s.At <= to).ToList() : [];
            return inWindow.Count == 0 ? (0, 0) : (inWindow.Max(s => s.Rss), inWindow[^1].At >= to.AddSeconds(-3) ? inWindow[^1].Rss : 0);
        }
    }

    /// <summary>CPU of the cluster between two instants, summed over postmasters (a restart starts a new one); NaN if not measurable.</summary>
    public double PostgresCpuMs(DateTimeOffset from, DateTimeOffset to)
    {
        if (!PostgresMeasured)
        {
            return double.NaN;
        }

        lock (gate)
        {
            return postgres.Values.Sum(series => Delta(series, from, to));
        }
    }

    private static double Delta(List<(DateTimeOffset At, double CpuMs)> series, DateTimeOffset from, DateTimeOffset to)
    {
        var inWindow = series.Where(s => s.At >= from && s.At <= to).ToList();
        return inWindow.Count < 2 ? 0 : inWindow[^1].CpuMs - inWindow[0].CpuMs;
    }

    private bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }
}
