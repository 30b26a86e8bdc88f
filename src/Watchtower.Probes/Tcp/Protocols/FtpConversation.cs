namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>FTP: 220 greeting (multi-line allowed), QUIT.</summary>
public sealed class FtpConversation : ITcpConversation
{
    public IReadOnlyList<TcpService> Services => [TcpService.Ftp];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        var (code, text) = await session.ReadGreetingReplyAsync(cancellationToken);
        if (code != 220)
        {
            // 120 "ready in n minutes" and 421 "service not available" are both a server that cannot serve now.
            throw new TcpConversationException(FailureReason.UnexpectedResponse,
                $"FTP server greeted with {code} instead of 220: “{TcpSession.Printable(text)}”.");
        }

        await session.QuitAsync("QUIT\r\n", cancellationToken);
        return "FTP server greeted with 220.";
    }
}
