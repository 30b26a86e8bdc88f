using Watchtower.Probes.Egress;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tcp.Protocols;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Ssl;

/// <summary>
/// SSL certificate check: reach the TLS handshake (directly, or after SMTP/IMAP/POP3 STARTTLS),
/// complete it whatever the certificate, and report the certificate's facts and problems. The
/// probe succeeds when a certificate was presented; judging it is the evaluator's job.
/// </summary>
public sealed class SslProbe(EgressGuard guard, TlsInspector tls, TimeProvider time) : IProbe
{
    public ProbeKind Kind => ProbeKind.Ssl;

    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Ssl;
        var started = time.GetUtcNow();
        using var connection = await guard.ConnectAsync(request.Host, request.Port, request.Timeout, cancellationToken);
        var timings = new ProbeTimings { Dns = connection.DnsTime, Connect = connection.ConnectTime };
        if (!connection.Connected)
        {
            return connection.ToFailedResult(started);
        }

        var service = options.StartTls switch
        {
            StartTlsProtocol.Smtp => TcpService.Smtp,
            StartTlsProtocol.Imap => TcpService.Imap,
            StartTlsProtocol.Pop3 => TcpService.Pop3,
            _ => TcpService.PortOpen,
        };
        var tcpOptions = new TcpProbeOptions { Service = service, StartTls = true, ReadTimeout = request.Tcp.ReadTimeout };
        await using var session = new TcpSession(connection.Socket!, tcpOptions, options.ServerName ?? request.Host, tls, time);
        try
        {
            switch (options.StartTls)
            {
                case StartTlsProtocol.Smtp:
                    await new SmtpConversation().RunAsync(session, cancellationToken);
                    break;
                case StartTlsProtocol.Imap:
                    await new ImapConversation().RunAsync(session, cancellationToken);
                    break;
                case StartTlsProtocol.Pop3:
                    await new Pop3Conversation().RunAsync(session, cancellationToken);
                    break;
                default:
                    await session.StartTlsAsync(cancellationToken);
                    break;
            }
        }
        catch (TcpConversationException ex)
        {
            return new ProbeResult
            {
                Success = false, Reason = ex.Reason, Message = ex.Message, StartedAt = started,
                Timings = timings with { Tls = session.TlsTime, FirstByte = session.FirstByte },
                RemoteEndpoint = connection.RemoteEndpointText, Banner = session.Banner,
            };
        }

        var certificate = session.Certificate;
        if (certificate is null)
        {
            return new ProbeResult
            {
                Success = false, Reason = FailureReason.Tls, Message = "The server completed the TLS handshake without a certificate.",
                StartedAt = started, Timings = timings with { Tls = session.TlsTime }, RemoteEndpoint = connection.RemoteEndpointText,
            };
        }

        var days = certificate.DaysLeft(time.GetUtcNow());
        return new ProbeResult
        {
            Success = true,
            Message = certificate.Valid
                ? $"Certificate for {certificate.Subject} is valid; it expires in {days} days ({certificate.NotAfter:yyyy-MM-dd})."
                : $"Certificate for {certificate.Subject} is not valid: {certificate.Problem}.",
            StartedAt = started,
            Timings = timings with { Tls = session.TlsTime, FirstByte = session.FirstByte },
            RemoteEndpoint = connection.RemoteEndpointText,
            Banner = session.Banner,
            Certificate = certificate,
            TlsProtocol = session.TlsProtocol,
        };
    }
}
