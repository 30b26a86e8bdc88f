namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>IMAP: "* OK" greeting, optional STARTTLS, LOGOUT.</summary>
public sealed class ImapConversation : ITcpConversation
{
    public IReadOnlyList<TcpService> Services => [TcpService.Imap, TcpService.Imaps];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        var greeting = await session.ReadGreetingLineAsync(cancellationToken);
        if (!greeting.StartsWith("* OK", StringComparison.OrdinalIgnoreCase) && !greeting.StartsWith("* PREAUTH", StringComparison.OrdinalIgnoreCase))
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse,
                $"IMAP server greeted with “{TcpSession.Printable(greeting)}” instead of * OK.");
        }

        if (session.Options.StartTls && session.Options.Service == TcpService.Imap)
        {
            await session.UpgradeAsync("w1 STARTTLS", () => ReadTaggedAsync(session, "w1", "did not answer STARTTLS", cancellationToken),
                answer => answer.StartsWith("w1 OK", StringComparison.OrdinalIgnoreCase), cancellationToken);
        }

        await session.QuitAsync("w2 LOGOUT\r\n", cancellationToken);
        return session.Certificate is null ? "IMAP server greeted with * OK." : "IMAP server greeted with * OK over TLS.";
    }

    private static async Task<string> ReadTaggedAsync(TcpSession session, string tag, string waitingFor, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 50; i++)
        {
            var line = await session.ReadLineAsync(waitingFor, cancellationToken);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new TcpConversationException(FailureReason.UnexpectedResponse, "IMAP server never completed the command.");
    }
}
