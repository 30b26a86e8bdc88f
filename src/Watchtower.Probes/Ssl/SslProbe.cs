using Watchtower.Probes.Egress;
using Watchtower.Probes.Evaluation;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tcp.Protocols;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Ssl;

/// <summary>
/// SSL certificate check: reach the TLS handshake (directly, or after SMTP/IMAP/POP3 STARTTLS),
/// complete it whatever the certificate, and report the certificate's facts and problems. The
/// probe succeeds when the handshake completes; judging the certificate is the evaluator's job.
/// </summary>
public sealed class SslProbe(EgressGuard guard, TlsInspector tls, TimeProvider time) : IProbe
{
    public ProbeKind Kind => ProbeKind.Ssl;

    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.SettingsAs<SslSettings>();
        var started = time.GetUtcNow();
        using var connection = await guard.ConnectAsync(options.Host, options.Port, request.Timeout, cancellationToken);
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
        // The STARTTLS conversations are the TCP check's own, run with this check's read timeout.
        var tcpOptions = new TcpSettings { Host = options.Host, Port = options.Port, Service = service, StartTls = true, ReadTimeoutSeconds = options.ReadTimeoutSeconds };
        await using var session = new TcpSession(connection.Socket!, tcpOptions, TcpProbe.ReadTimeout(tcpOptions, request.Timeout), options.ServerName ?? options.Host, tls, time);
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

        // The handshake completed: what the certificate is worth is the evaluator's call.
        var certificate = session.Certificate;
        var now = time.GetUtcNow();
        return new ProbeResult
        {
            Success = true,
            Message = certificate is null ? "The server completed the TLS handshake without a certificate."
                : certificate.Valid ? $"Certificate for {certificate.Subject} is valid; it {CertificateExpiry.Describe(certificate, now)}."
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
