namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>
/// SSH: the server's identification line "SSH-2.0-software" (RFC 4253 §4.2 lets it send other
/// lines first). We report the version and close without starting a key exchange.
/// </summary>
public sealed class SshConversation : ITcpConversation
{
    private const int MaxLines = 20;

    public IReadOnlyList<TcpService> Services => [TcpService.Ssh];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        // The first non-blank line that is not the identification: once the service has said
        // something else and then stops, that is what it is, not an SSH server being silent.
        string? other = null;
        var sentLines = false;
        for (var i = 0; i < MaxLines; i++)
        {
            string line;
            try
            {
                line = await session.ReadLineAsync("did not send its identification", cancellationToken);
            }
            catch (TcpConversationException ex) when (sentLines && ex.Reason is FailureReason.Silent or FailureReason.UnexpectedResponse)
            {
                // It went quiet, closed, or sent an overlong line after talking.
                throw NotSsh(session, other, session.PeerClosed ? ", then closed the connection" : "", ex);
            }

            sentLines = true;
            if (!line.StartsWith("SSH-", StringComparison.Ordinal))
            {
                if (other is null && TcpSession.Printable(line).Length > 0)
                {
                    other = line;
                }

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

        throw NotSsh(session, other, $", {MaxLines} lines in all", null);
    }

    private static TcpConversationException NotSsh(TcpSession session, string? other, string then, Exception? inner)
    {
        if (other is null)
        {
            return new TcpConversationException(FailureReason.UnexpectedResponse,
                $"SSH server sent only blank lines instead of an SSH- identification line{then}.", inner);
        }

        session.Banner = TcpSession.Printable(other);
        return new TcpConversationException(FailureReason.UnexpectedResponse,
            $"SSH server sent “{session.Banner}” instead of an SSH- identification line{then}.", inner);
    }
}
