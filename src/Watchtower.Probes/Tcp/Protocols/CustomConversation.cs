using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Watchtower.Probes.Evaluation;

namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>Custom: optionally send bytes, then, when an expectation is set, read until the reply (as UTF-8 text) matches it or stops coming.</summary>
public sealed class CustomConversation : ITcpConversation
{
    private const int MaxReply = 64 * 1024;

    public IReadOnlyList<TcpService> Services => [TcpService.Custom];

    public async Task<string> RunAsync(TcpSession session, CancellationToken cancellationToken)
    {
        var options = session.Options;
        if (!Payload.TryParse(options.Send, options.SendFormat, out var send, out var error))
        {
            throw new TcpConversationException(FailureReason.Error, $"The bytes to send are not valid: {error}");
        }

        if (send.Length > 0)
        {
            await session.WriteAsync(send, cancellationToken);
        }

        if (string.IsNullOrEmpty(options.Expect))
        {
            return send.Length > 0 ? $"Connected and sent {send.Length} bytes." : "Connected.";
        }

        // The expectation only tells the probe when it has read enough; whether the reply is good
        // enough is the evaluator's call, from the facts recorded here.
        bool Matches(ReadOnlySpan<byte> received) => Texts(received).Any(text => TextMatch.Found(text, options.Expect, options.ExpectMode == ExpectMode.Regex));
        var reply = await session.ReadUntilAsync(received => Matches(received.Span), MaxReply, "did not answer", cancellationToken);
        session.Banner = TcpSession.Printable(Texts(reply)[0]);
        var matched = reply.Length > 0 && Matches(reply);
        session.Reply = new ReplyFacts(reply.Length, matched);
        return reply.Length == 0 ? "The service closed the connection without answering."
            : $"The service replied {reply.Length} bytes{(send.Length > 0 ? $" to the {send.Length} sent" : "")}.";
    }

    /// <summary>
    /// The reply as text to match: UTF-8, where a character cut off at the end of what has
    /// arrived so far is left out (the next read completes it). A reply that is not UTF-8 is
    /// also read byte for byte (Latin-1), so ASCII and legacy 8-bit text still match.
    /// </summary>
    private static string[] Texts(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out _, out var written, replaceInvalidSequences: false, isFinalBlock: false);
        if (status is OperationStatus.Done or OperationStatus.NeedMoreData)
        {
            return [new string(chars, 0, written)];
        }

        return [Encoding.UTF8.GetString(bytes), Encoding.Latin1.GetString(bytes)];
    }
}
