using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Net;

namespace Watchtower.Probes.Tests.Egress;

/// <summary>
/// Every TCP connect this process starts, from the runtime's own socket telemetry
/// (System.Net.Sockets ConnectStart): where a loopback listener cannot stand (169.254.169.254,
/// 168.63.129.16, fd00:ec2::254) this is what shows that nothing was dialled. In-process listeners
/// are called on the connecting thread, so a connect is logged before the probe's await returns.
/// </summary>
internal sealed class DialLog : EventListener
{
    public static DialLog Instance { get; } = new();

    // Initialised before the base constructor runs, which already reports the existing event sources.
    private readonly ConcurrentQueue<(long Sequence, IPEndPoint EndPoint)> dials = new();
    private long sequence;

    private DialLog()
    {
    }

    /// <summary>A point in the log; <see cref="Since"/> gives the dials after it.</summary>
    public long Mark => Interlocked.Read(ref sequence);

    public IReadOnlyList<IPEndPoint> Since(long mark) => [.. dials.Where(d => d.Sequence > mark).Select(d => d.EndPoint)];

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "System.Net.Sockets")
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName == "ConnectStart" && eventData.Payload is [string address, ..] && Parse(address) is { } endpoint)
        {
            dials.Enqueue((Interlocked.Increment(ref sequence), endpoint));
        }
    }

    /// <summary>
    /// "InterNetwork:16:{0,80,169,254,169,254,0,…}" (port, address) or "InterNetworkV6:28:{0,80,
    /// flow×4, address×16, scope×4}": SocketAddress.ToString, the payload's documented shape.
    /// </summary>
    internal static IPEndPoint? Parse(string text)
    {
        var open = text.IndexOf('{', StringComparison.Ordinal);
        if (open < 0 || !text.EndsWith('}'))
        {
            return null;
        }

        var bytes = text[(open + 1)..^1].Split(',').Select(b => byte.Parse(b, CultureInfo.InvariantCulture)).ToArray();
        var port = (bytes[0] << 8) | bytes[1];
        return text.StartsWith("InterNetworkV6:", StringComparison.Ordinal) && bytes.Length >= 22
            ? new IPEndPoint(new IPAddress(bytes.AsSpan(6, 16)), port)
            : text.StartsWith("InterNetwork:", StringComparison.Ordinal) && bytes.Length >= 6
                ? new IPEndPoint(new IPAddress(bytes.AsSpan(2, 4)), port)
                : null;
    }
}
