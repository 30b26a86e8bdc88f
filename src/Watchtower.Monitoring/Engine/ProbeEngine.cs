using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Probes;
using Watchtower.Probes.Dns;
using Watchtower.Probes.Http;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// Runs leased checks in this process. Probes are asynchronous, so what bounds them is sockets, not
/// threads: at most <see cref="EngineOptions.MaxProbesInFlight"/> at once in the process and
/// <see cref="EngineOptions.ProbesPerHost"/> against one host. Each result goes to the
/// <see cref="ResultWriter"/> as soon as its probe ends, so a batch's slow targets never hold back
/// its fast ones. A check is probed only while its lease holds.
/// </summary>
public sealed class ProbeEngine : IDisposable
{
    private readonly IServiceScopeFactory scopes;
    private readonly ProbeRunner runner;
    private readonly ResultWriter writer;
    private readonly EngineOptions settings;
    private readonly TimeProvider time;
    private readonly ILogger<ProbeEngine> logger;
    private readonly SemaphoreSlim slots;
    private readonly HostGates hosts;
    private readonly ConcurrentDictionary<int, Guid> running = new();
    private readonly CancellationTokenSource stopping = new();

    public ProbeEngine(IServiceScopeFactory scopes, ProbeRunner runner, ResultWriter writer, IOptions<EngineOptions> options, TimeProvider time, ILogger<ProbeEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.scopes = scopes;
        this.runner = runner;
        this.writer = writer;
        settings = options.Value;
        this.time = time;
        this.logger = logger;
        slots = new SemaphoreSlim(settings.MaxProbesInFlight, settings.MaxProbesInFlight);
        hosts = new HostGates(settings.ProbesPerHost);
    }

    /// <summary>Checks being probed or written right now.</summary>
    public int Running => running.Count;

    /// <summary>Starts the checks holding <paramref name="lease"/> and returns; they wait for their host and for room in the engine.</summary>
    public Task<int> StartLeaseAsync(Guid lease, CancellationToken cancellationToken) => RunLeaseAsync(lease, waitForResults: false, cancellationToken);

    /// <summary>
    /// Leases the given enabled checks now, runs them and returns when their results are written:
    /// a run on demand, outside the schedule (tests, and a future "run now").
    /// </summary>
    public async Task<int> RunNowAsync(IReadOnlyCollection<int> checkIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkIds);
        var lease = Guid.NewGuid();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
            var now = time.GetUtcNow();
            var checks = await db.Checks.Where(c => checkIds.Contains(c.Id) && c.Enabled).ToListAsync(cancellationToken);
            foreach (var check in checks)
            {
                check.LeaseId = lease;
                check.NextRunAt = now + TimeSpan.FromSeconds(check.TimeoutSeconds) + settings.LeaseMargin;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return await RunLeaseAsync(lease, waitForResults: true, cancellationToken);
    }

    private async Task<int> RunLeaseAsync(Guid lease, bool waitForResults, CancellationToken cancellationToken)
    {
        List<Check> checks;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
            checks = await db.Checks.AsNoTracking().Where(c => c.LeaseId == lease && c.Enabled).ToListAsync(cancellationToken);
        }

        var started = new List<Task>(checks.Count);
        foreach (var check in checks)
        {
            // The lease ran out while the job waited in the queue: the check is due again, and
            // whoever claims it next runs it.
            if (time.GetUtcNow() >= check.NextRunAt || !running.TryAdd(check.Id, lease))
            {
                continue;
            }

            started.Add(RunOneAsync(check, lease));
        }

        if (waitForResults)
        {
            await Task.WhenAll(started);
        }

        return started.Count;
    }

    private async Task RunOneAsync(Check check, Guid lease)
    {
        ProbeResult? result = null;
        try
        {
            // The host's gate first, then a slot of the engine: checks queued behind a busy host
            // hold no slot, so a host with thousands of checks never starves the others.
            using (await hosts.EnterAsync(HostKey(check.Settings), stopping.Token))
            {
                await slots.WaitAsync(stopping.Token);
                try
                {
                    if (time.GetUtcNow() < check.NextRunAt)
                    {
                        result = await runner.RunAsync(check.ToProbeRequest(), stopping.Token);
                    }
                }
                finally
                {
                    slots.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the lease expires and the check runs again elsewhere or after the restart.
        }
#pragma warning disable CA1031 // One check's failure must not take the others down; its lease expires and it runs again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Running check {CheckId} failed", check.Id);
        }

        try
        {
            if (result is not null)
            {
                await writer.WriteAsync(check, lease, result);
            }
        }
        finally
        {
            running.TryRemove(new KeyValuePair<int, Guid>(check.Id, lease));
        }
    }

    /// <summary>Lets the probes in flight finish and their results be written, for at most <paramref name="patience"/>; then abandons the rest.</summary>
    public async Task DrainAsync(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!running.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        if (!running.IsEmpty)
        {
            logger.LogInformation("Stopping with {Count} checks unfinished; their leases expire and they run again", running.Count);
        }

        await stopping.CancelAsync();
    }

    /// <summary>What "one host" means for <see cref="EngineOptions.ProbesPerHost"/>: the name or address dialled.</summary>
    internal static string HostKey(IKindSettings settings) => (settings switch
    {
        TcpSettings tcp => tcp.Host,
        SslSettings ssl => ssl.Host,
        HttpSettings http => UriHost(http.Url),
        SeoSettings seo => UriHost(seo.Url),
        DnsSettings dns => string.IsNullOrEmpty(dns.Resolver) ? dns.Name : dns.Resolver,
        _ => settings.Target,
    }).ToLowerInvariant();

    private static string UriHost(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : url;

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
        slots.Dispose();
    }

    /// <summary>One semaphore per host, alive while someone uses it.</summary>
    private sealed class HostGates(int perHost)
    {
        private readonly Dictionary<string, Gate> gates = new(StringComparer.Ordinal);

        public async Task<Entered> EnterAsync(string host, CancellationToken cancellationToken)
        {
            Gate? gate;
            lock (gates)
            {
                if (!gates.TryGetValue(host, out gate))
                {
                    gates[host] = gate = new Gate(perHost);
                }

                gate.Users++;
            }

            try
            {
                await gate.Semaphore.WaitAsync(cancellationToken);
            }
            catch
            {
                Leave(host, gate, entered: false);
                throw;
            }

            return new Entered(this, host, gate);
        }

        private void Leave(string host, Gate gate, bool entered)
        {
            if (entered)
            {
                gate.Semaphore.Release();
            }

            lock (gates)
            {
                if (--gate.Users == 0)
                {
                    gates.Remove(host);
                    gate.Semaphore.Dispose();
                }
            }
        }

        internal sealed class Gate(int size)
        {
            public SemaphoreSlim Semaphore { get; } = new(size, size);
            public int Users { get; set; }
        }

        internal readonly struct Entered(HostGates owner, string host, Gate gate) : IDisposable
        {
            public void Dispose() => owner.Leave(host, gate, entered: true);
        }
    }
}
