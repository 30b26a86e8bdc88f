using Hangfire;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// Which probe locations have a live worker: a Hangfire server serving the location's queue whose
/// heartbeat is recent. The dispatcher claims nothing for a location without one (its checks wait,
/// and come back at their own slots), and the dashboard says so.
/// </summary>
public sealed class ProbeLocations(JobStorage storage)
{
    /// <summary>How often servers beat; set on the Hangfire servers this code starts.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>A server silent for longer than this is taken for dead (killed, frozen, cut off).</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromSeconds(20);

    /// <summary>The locations (queue names) with at least one live worker. Uses the wall clock, as Hangfire's heartbeats do.</summary>
    public IReadOnlySet<string> Live()
    {
        var since = DateTime.UtcNow - LiveWindow;
        return storage.GetMonitoringApi().Servers()
            .Where(s => s.Heartbeat is { } beat && DateTime.SpecifyKind(beat, DateTimeKind.Utc) >= since)
            .SelectMany(s => s.Queues)
            .ToHashSet(StringComparer.Ordinal);
    }
}
