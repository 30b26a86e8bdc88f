using System.Collections.Frozen;
using System.Net.Sockets;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Tcp.Protocols;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Tcp;

/// <summary>
/// Connects through the egress guard, then (for every service but "port open") speaks the
/// service's protocol: implicit TLS first where the service uses it, then the conversation.
/// </summary>
public sealed class TcpProbe(EgressGuard guard, TlsInspector tls, IEnumerable<ITcpConversation> conversations, TimeProvider time) : IProbe
{
    private readonly FrozenDictionary<TcpService, ITcpConversation> byService =
        conversations.SelectMany(c => c.Services.Select(s => (Service: s, Conversation: c)))
            .ToFrozenDictionary(x => x.Service, x => x.Conversation);

    public ProbeKind Kind => ProbeKind.Tcp;

    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.SettingsAs<TcpSettings>();
        var started = time.GetUtcNow();
        // The check's timeout is also the connect budget, shared among the host's addresses.
        using var connection = await guard.ConnectAsync(options.Host, options.Port, request.Timeout, cancellationToken);
        var timings = new ProbeTimings { Dns = connection.DnsTime, Connect = connection.ConnectTime };
        if (!connection.Connected)
        {
            return connection.ToFailedResult(started);
        }

        var connectedIn = $"{(int)Math.Round(connection.ConnectTime!.Value.TotalMilliseconds)} ms";
        if (options.Service == TcpService.PortOpen || !byService.TryGetValue(options.Service, out var conversation))
        {
            Close(connection.Socket!);
            return new ProbeResult
            {
                Success = true,
                Message = connection.EarlierFailures is { } earlier
                    ? $"Port {options.Port} is open (connected in {connectedIn}). {earlier}"
                    : $"Port {options.Port} is open (connected in {connectedIn}).",
                StartedAt = started,
                Timings = timings,
                RemoteEndpoint = connection.RemoteEndpointText,
            };
        }

        await using var session = new TcpSession(connection.Socket!, options, ReadTimeout(options, request.Timeout), options.CertificateName ?? options.Host, tls, time);
        string message;
        FailureReason reason = FailureReason.None;
        try
        {
            if (TcpServices.Of(options.Service).ImplicitTls || (options.Service == TcpService.Custom && options.ImplicitTls))
            {
                await session.StartTlsAsync(cancellationToken);
            }

            message = await conversation.RunAsync(session, cancellationToken);
            if (connection.EarlierFailures is { } earlier)
            {
                message = $"{message} {earlier}";
            }
        }
        catch (TcpConversationException ex)
        {
            reason = ex.Reason;
            message = ex.Message;
        }

        Close(connection.Socket!);
        return new ProbeResult
        {
            Success = reason == FailureReason.None,
            Reason = reason,
            Message = message,
            StartedAt = started,
            Timings = timings with { Tls = session.TlsTime, FirstByte = session.FirstByte },
            RemoteEndpoint = connection.RemoteEndpointText,
            Banner = session.Banner,
            Certificate = session.Certificate,
            TlsProtocol = session.TlsProtocol,
            Reply = session.Reply,
        };
    }

    /// <summary>The per-answer wait: the owner's read timeout, never more than the whole probe's budget.</summary>
    public static TimeSpan ReadTimeout(TcpSettings settings, TimeSpan probeTimeout)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var seconds = Math.Clamp(settings.ReadTimeoutSeconds, 1, Math.Max(1, (int)Math.Ceiling(probeTimeout.TotalSeconds)));
        return TimeSpan.FromSeconds(seconds);
    }

    private static void Close(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the peer; nothing to be polite about.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
