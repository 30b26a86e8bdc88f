namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>POP3: "+OK" greeting, optional STLS, QUIT.</summary>
public sealed class Pop3Conversation : ITcpConversation
{
    public IReadOnlyList<TcpService> Services => [TcpService.Pop3, TcpService.Pop3s];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        var greeting = await session.ReadGreetingLineAsync(cancellationToken);
        if (!greeting.StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse,
                $"POP3 server greeted with “{TcpSession.Printable(greeting)}” instead of +OK.");
        }

        if (session.Options.StartTls && session.Options.Service == TcpService.Pop3)
        {
            await session.UpgradeAsync("STLS", () => session.ReadLineAsync("did not answer STLS", cancellationToken),
                answer => answer.StartsWith("+OK", StringComparison.Ordinal), cancellationToken);
        }

        await session.QuitAsync("QUIT\r\n", cancellationToken);
        return session.Certificate is null ? "POP3 server greeted with +OK." : "POP3 server greeted with +OK over TLS.";
    }
}
