using System.Net;
using System.Net.Sockets;

namespace Watchtower.Probes.Egress;

/// <summary>A connection the egress guard made (or failed to make), with the facts of how.</summary>
public sealed class GuardedConnection : IDisposable
{
    /// <summary>The connected socket; null when <see cref="Connected"/> is false. Disposing this object closes it.</summary>
    public Socket? Socket { get; init; }

    public bool Connected => Socket is not null;

    public FailureReason Reason { get; init; }

    public string Message { get; init; } = "";

    /// <summary>The address dialled (the one that answered, or the last one tried).</summary>
    public IPEndPoint? RemoteEndPoint { get; init; }

    public IReadOnlyList<IPAddress> ResolvedAddresses { get; init; } = [];

    /// <summary>When the probe began to connect: the run's start for a probe that begins by connecting.</summary>
    public DateTimeOffset StartedAt { get; internal set; }

    public TimeSpan? DnsTime { get; init; }

    /// <summary>How long the connect to <see cref="RemoteEndPoint"/> took (that attempt only, not earlier addresses').</summary>
    public TimeSpan? ConnectTime { get; init; }

    /// <summary>The addresses that were tried and failed, in order: before the one that answered, or all of them.</summary>
    public IReadOnlyList<ConnectAttempt> FailedAttempts { get; init; } = [];

    /// <summary>
    /// For a connection made after other addresses failed: "Before 127.0.0.2 answered, the probe
    /// tried 127.0.0.1 (no answer within 2 s)." Null when the first address answered.
    /// </summary>
    public string? EarlierFailures => Connected && FailedAttempts.Count > 0
        ? $"Before {RemoteEndPoint!.Address} answered, the probe tried {string.Join(", ", FailedAttempts.Select(a => $"{a.EndPoint.Address} ({a.Outcome})"))}."
        : null;

    /// <summary>"203.0.113.5:25" or "[2001:db8::1]:25".</summary>
    public string? RemoteEndpointText => RemoteEndPoint?.ToString();

    /// <summary>The phases the connection went through: the lookup and the connect.</summary>
    public ProbeTimings Timings => new() { Dns = DnsTime, Connect = ConnectTime };

    /// <summary>The probe result for a connection that could not be made: its reason, message and timings.</summary>
    public ProbeResult ToFailedResult() => new()
    {
        Success = false,
        Reason = Reason,
        Message = Message,
        StartedAt = StartedAt,
        Timings = Timings,
        RemoteEndpoint = RemoteEndpointText,
    };

    /// <summary>Hands the socket to a caller that owns it from now on (e.g. an HTTP handler's stream).</summary>
    public Socket DetachSocket()
    {
        var socket = Socket ?? throw new InvalidOperationException("Not connected.");
        detached = true;
        return socket;
    }

    private bool detached;

    public void Dispose()
    {
        if (!detached)
        {
            Socket?.Dispose();
        }
    }
}
