using Microsoft.Extensions.Hosting;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// On a graceful stop, lets the probes in flight finish and their results be written (a few
/// seconds at most) before the process goes; what is left runs again when its lease expires.
/// </summary>
internal sealed class EngineShutdown(ProbeEngine engine, ResultWriter writer) : IHostedService
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await engine.DrainAsync(Patience);
        await writer.DisposeAsync();
    }
}
