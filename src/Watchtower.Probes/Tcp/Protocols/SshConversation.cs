namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>
/// SSH: the server's identification line "SSH-2.0-software" (RFC 4253 §4.2 lets it send other
/// lines first). We report the version and close without starting a key exchange.
/// </summary>
public sealed class SshConversation : ITcpConversation
{
    public IReadOnlyList<TcpService> Services => [TcpService.Ssh];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 20; i++)
        {
            var line = await session.ReadLineAsync("did not send its identification", cancellationToken);
            if (!line.StartsWith("SSH-", StringComparison.Ordinal))
            {
                continue;
            }

            session.Banner = TcpSession.Printable(line);
            if (!line.StartsWith("SSH-2.0-", StringComparison.Ordinal) && !line.StartsWith("SSH-1.99-", StringComparison.Ordinal))
            {
                throw new TcpConversationException(FailureReason.UnexpectedResponse,
                    $"SSH server speaks an unsupported protocol version: “{session.Banner}”.");
            }

            var software = line[(line.IndexOf('-', 4) + 1)..];
            return $"SSH server identified itself as {TcpSession.Printable(software)}.";
        }

        throw new TcpConversationException(FailureReason.UnexpectedResponse, "SSH server sent no SSH- identification line.");
    }
}
