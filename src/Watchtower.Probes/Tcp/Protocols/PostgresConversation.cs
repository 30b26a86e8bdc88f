namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>
/// PostgreSQL: an SSLRequest (int32 8, int32 80877103), to which a live server answers one byte:
/// S (TLS offered) or N (not). Nothing else is sent; no login is attempted.
/// </summary>
public sealed class PostgresConversation : ITcpConversation
{
    private static readonly byte[] SslRequest = [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F];

    public IReadOnlyList<TcpService> Services => [TcpService.Postgres];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        await session.WriteAsync(SslRequest, cancellationToken);
        var answer = (await session.ReadExactlyAsync(1, "did not answer the SSLRequest", cancellationToken))[0];
        switch (answer)
        {
            case (byte)'S':
                session.Banner = "SSLRequest → S (TLS offered)";
                return "PostgreSQL server answered and offers TLS.";
            case (byte)'N':
                session.Banner = "SSLRequest → N (no TLS)";
                return "PostgreSQL server answered (TLS not offered).";
            case (byte)'E':
                throw new TcpConversationException(FailureReason.UnexpectedResponse, "PostgreSQL server answered the SSLRequest with an error.");
            default:
                throw new TcpConversationException(FailureReason.UnexpectedResponse,
                    $"The service answered the PostgreSQL SSLRequest with byte 0x{answer:X2}; it is not PostgreSQL.");
        }
    }
}
