namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>SMTP: 220 greeting, EHLO → 250, optional STARTTLS and a second EHLO, QUIT.</summary>
public sealed class SmtpConversation : ITcpConversation
{
    /// <summary>The name we introduce ourselves with; .invalid cannot collide with a real domain.</summary>
    public const string HeloName = "watchtower-probe.invalid";

    public IReadOnlyList<TcpService> Services => [TcpService.Smtp, TcpService.Smtps];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        var (code, greeting) = await session.ReadGreetingReplyAsync(cancellationToken);
        if (code != 220)
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse,
                $"SMTP server greeted with {code} instead of 220: “{TcpSession.Printable(greeting)}”.");
        }

        var extensions = await EhloAsync(session, cancellationToken);
        if (session.Options.StartTls && session.Options.Service == TcpService.Smtp)
        {
            if (!extensions.Contains("STARTTLS"))
            {
                throw new TcpConversationException(FailureReason.UnexpectedResponse, "SMTP server does not offer STARTTLS.");
            }

            await session.WriteAsync("STARTTLS\r\n", cancellationToken);
            var (tlsCode, tlsText) = await session.ReadReplyAsync("did not answer STARTTLS", cancellationToken);
            if (tlsCode != 220)
            {
                throw new TcpConversationException(FailureReason.UnexpectedResponse,
                    $"SMTP server refused STARTTLS with {tlsCode}: “{TcpSession.Printable(tlsText)}”.");
            }

            await session.StartTlsAsync(cancellationToken);
            await EhloAsync(session, cancellationToken);
        }

        await session.QuitAsync("QUIT\r\n", cancellationToken);
        return session.Options.StartTls || session.Options.Service == TcpService.Smtps
            ? "SMTP server greeted and answered EHLO over TLS."
            : "SMTP server greeted and answered EHLO.";
    }

    private static async Task<HashSet<string>> EhloAsync(TcpSession session, CancellationToken cancellationToken)
    {
        await session.WriteAsync($"EHLO {HeloName}\r\n", cancellationToken);
        var (code, text) = await session.ReadReplyAsync("did not answer EHLO", cancellationToken);
        if (code != 250)
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse,
                $"SMTP server answered EHLO with {code} instead of 250: “{TcpSession.Printable(text)}”.");
        }

        return text.Split('\n').Skip(1)
            .Select(line => line.Split(' ', 2)[0].Trim().ToUpperInvariant())
            .ToHashSet(StringComparer.Ordinal);
    }
}
