namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>
/// Redis: PING → +PONG. -NOAUTH, -ERR and -DENIED (protected mode) come from a live server that
/// refuses this client, and count as up, with a note. QUIT.
/// </summary>
public sealed class RedisConversation : ITcpConversation
{
    public IReadOnlyList<TcpService> Services => [TcpService.Redis];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        await session.WriteAsync("PING\r\n", cancellationToken);
        var answer = await session.ReadLineAsync("did not answer PING", cancellationToken);
        session.Banner = TcpSession.Printable(answer);
        string result;
        if (answer.StartsWith("+PONG", StringComparison.Ordinal))
        {
            result = "Redis answered PING with PONG.";
        }
        else if (answer.StartsWith("-NOAUTH", StringComparison.Ordinal) || answer.StartsWith("-ERR", StringComparison.Ordinal)
            || answer.StartsWith("-WRONGPASS", StringComparison.Ordinal))
        {
            session.Note = "it requires authentication";
            result = $"Redis is up and requires authentication ({session.Banner}).";
        }
        else if (answer.StartsWith("-DENIED", StringComparison.Ordinal))
        {
            // Protected mode (no password set, not bound to loopback only): the server runs and
            // answers, but only to clients on its own loopback interface.
            session.Note = "it is in protected mode and refuses remote clients";
            result = $"Redis is up but in protected mode: it refuses clients that are not on its own machine ({session.Banner}).";
        }
        else if (answer.StartsWith("-LOADING", StringComparison.Ordinal) || answer.StartsWith("-MASTERDOWN", StringComparison.Ordinal))
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse, $"Redis is not ready: {session.Banner}.");
        }
        else
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse, $"The service answered PING with “{session.Banner}”; it is not Redis.");
        }

        await session.QuitAsync("QUIT\r\n", cancellationToken);
        return result;
    }
}
