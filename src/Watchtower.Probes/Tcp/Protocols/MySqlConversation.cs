using System.Buffers.Binary;
using System.Text;

namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>
/// MySQL/MariaDB: the server speaks first with a packet whose payload starts with protocol
/// version 10 and the null-terminated server version. We read it and close before logging in.
/// </summary>
public sealed class MySqlConversation : ITcpConversation
{
    private const int HostNotAllowed = 1130;

    public IReadOnlyList<TcpService> Services => [TcpService.MySql];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        var header = await session.ReadExactlyAsync(4, "did not send its greeting", cancellationToken);
        var length = header[0] | (header[1] << 8) | (header[2] << 16);
        if (length is < 1 or > 4096)
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse, $"MySQL server sent a packet of {length} bytes, not a greeting.");
        }

        var payload = await session.ReadExactlyAsync(length, "did not send its greeting", cancellationToken);
        if (payload[0] == 0xFF && payload.Length >= 3)
        {
            var code = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(1, 2));
            var message = TcpSession.Printable(Encoding.UTF8.GetString(payload, payload.Length > 9 && payload[3] == '#' ? 9 : 3, payload.Length - (payload.Length > 9 && payload[3] == '#' ? 9 : 3)));
            session.Banner = $"ERROR {code}: {message}";
            if (code == HostNotAllowed)
            {
                // The server is up and answering; it only refuses this probe's address.
                session.Note = "it does not allow this probe's address to log in";
                return $"MySQL server is up (error {code}: {message}).";
            }

            throw new TcpConversationException(FailureReason.UnexpectedResponse, $"MySQL server refused the connection with error {code}: {message}.");
        }

        if (payload[0] != 10)
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse, $"MySQL server greeted with protocol {payload[0]} instead of 10.");
        }

        var end = Array.IndexOf(payload, (byte)0, 1);
        var version = TcpSession.Printable(Encoding.ASCII.GetString(payload, 1, (end < 0 ? payload.Length : end) - 1));
        session.Banner = version;
        return $"MySQL server {version} sent its protocol-10 greeting.";
    }
}
