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

        // After the 7-byte X.224 header (LI, code, dst-ref, src-ref, class) an RDP server may
        // append an 8-byte negotiation response: type, flags, length (LE16), then a LE32 value —
        // the selected protocol (type 2) or the failure code (type 3).
        var negotiation = x224.Length >= 8 ? x224[7] : (byte)0;
        var value = x224.Length >= 15 ? BitConverter.ToUInt32(x224.AsSpan(11, 4)) : 0u;
        if (!BitConverter.IsLittleEndian)
        {
            value = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
        }

        session.Banner = negotiation switch
        {
            0x02 => $"X.224 Connection Confirm; protocol {Protocol(value)}",
            0x03 => $"X.224 Connection Confirm; negotiation failure ({Failure(value)})",
            _ => "X.224 Connection Confirm (standard RDP security)",
        };
        return "RDP server confirmed the connection request.";
    }

    private static string Protocol(uint selected) => selected switch
    {
        0 => "standard RDP security",
        1 => "TLS",
        2 => "CredSSP (NLA)",
        4 => "RDSTLS",
        8 => "CredSSP with early user authorization",
        _ => $"0x{selected:X8}",
    };

    private static string Failure(uint code) => code switch
    {
        1 => "the server requires TLS",
        2 => "the server does not allow TLS",
        3 => "the server has no certificate for TLS",
        4 => "the server does not allow this security protocol",
        5 => "the server requires CredSSP (NLA)",
        6 => "the server requires CredSSP with early user authorization",
        _ => $"code 0x{code:X8}",
    };
}
