namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>
/// RDP: a TPKT-framed X.224 Connection Request carrying an RDP negotiation request; a live server
/// answers with an X.224 Connection Confirm (code 0xD0). We close before any TLS or login.
/// </summary>
public sealed class RdpConversation : ITcpConversation
{
    // TPKT (v3, length 19) · X.224 CR (LI 14, CR-CDT 0xE0, dst 0, src 0, class 0) · RDP_NEG_REQ (TLS | CredSSP).
    private static readonly byte[] ConnectionRequest =
    [
        0x03, 0x00, 0x00, 0x13,
        0x0E, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00,
    ];

    public IReadOnlyList<TcpService> Services => [TcpService.Rdp];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        await session.WriteAsync(ConnectionRequest, cancellationToken);
        var tpkt = await session.ReadExactlyAsync(4, "did not confirm the connection request", cancellationToken);
        if (tpkt[0] != 0x03)
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse, $"The service answered with 0x{tpkt[0]:X2} instead of a TPKT packet; it is not RDP.");
        }

        var length = (tpkt[2] << 8) | tpkt[3];
        if (length is < 7 or > 1024)
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse, $"RDP server sent a TPKT packet of {length} bytes.");
        }

        var x224 = await session.ReadExactlyAsync(length - 4, "did not confirm the connection request", cancellationToken);
        if ((x224[1] & 0xF0) != 0xD0)
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse, $"RDP server answered with X.224 code 0x{x224[1]:X2} instead of a Connection Confirm.");
        }

        var negotiation = x224.Length >= 8 ? x224[6] : (byte)0;
        session.Banner = negotiation switch
        {
            0x02 => $"X.224 Connection Confirm; protocol {Protocol(x224.Length >= 15 ? x224[10] : (byte)0)}",
            0x03 => "X.224 Connection Confirm; negotiation failure (the server wants another security protocol)",
            _ => "X.224 Connection Confirm (standard RDP security)",
        };
        return "RDP server confirmed the connection request.";
    }

    private static string Protocol(byte selected) => selected switch
    {
        0 => "standard RDP security",
        1 => "TLS",
        2 => "CredSSP (NLA)",
        8 => "CredSSP with early user authorization",
        _ => $"0x{selected:X2}",
    };
}
