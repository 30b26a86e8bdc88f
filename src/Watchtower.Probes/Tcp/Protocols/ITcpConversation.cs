namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>
/// One service's handshake over a connected (and, for implicit-TLS services, already encrypted)
/// session. Returns the success sentence; throws <see cref="TcpConversationException"/> on failure.
/// Conversations end politely and never authenticate.
/// </summary>
public interface ITcpConversation
{
    IReadOnlyList<TcpService> Services { get; }

    Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken);
}
