using System.Net.Sockets;
using Watchtower.Probes.Egress;

namespace Watchtower.Probes.Tcp;

/// <summary>"Port open": connect through the egress guard, then close politely.</summary>
public sealed class TcpProbe(EgressGuard guard, TimeProvider time) : IProbe
{
    public ProbeKind Kind => ProbeKind.Tcp;

    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetUtcNow();
        using var connection = await guard.ConnectAsync(request.Host, request.Port, cancellationToken);
        var timings = new ProbeTimings { Dns = connection.DnsTime, Connect = connection.ConnectTime };
        if (!connection.Connected)
        {
            return new ProbeResult
            {
                Success = false,
                Reason = connection.Reason,
                Message = connection.Message,
                StartedAt = started,
                Timings = timings,
                RemoteEndpoint = connection.RemoteEndpointText,
            };
        }

        try
        {
            connection.Socket!.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The peer may already have closed; the port was open, which is what we measured.
        }

        var ms = (int)Math.Round(connection.ConnectTime!.Value.TotalMilliseconds);
        return new ProbeResult
        {
            Success = true,
            Message = $"Port {request.Port} is open (connected to {connection.RemoteEndPoint!.Address} in {ms} ms).",
            StartedAt = started,
            Timings = timings,
            RemoteEndpoint = connection.RemoteEndpointText,
        };
    }
}
