using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Watchtower.Probes.Tcp.Protocols;

/// <summary>Custom: optionally send bytes, then, when an expectation is set, read until the reply (as UTF-8 text) matches it.</summary>
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

        var matcher = Matcher(options);
        bool Matches(ReadOnlySpan<byte> received) => Texts(received).Any(matcher);
        var reply = await session.ReadUntilAsync(received => Matches(received.Span), MaxReply, "did not answer", cancellationToken);
        var text = Texts(reply)[0];
        session.Banner = TcpSession.Printable(text);
        if (reply.Length == 0)
        {
            throw new TcpConversationException(FailureReason.UnexpectedResponse, "The service closed the connection without answering.");
        }

        if (!Matches(reply))
        {
            var how = options.ExpectMode == ExpectMode.Regex ? "match" : "contain";
            throw new TcpConversationException(FailureReason.UnexpectedResponse,
                $"The reply “{session.Banner}” does not {how} “{TcpSession.Printable(options.Expect)}”.");
        }

        return $"The reply matched the expectation ({reply.Length} bytes).";
    }

    private static Func<string, bool> Matcher(TcpProbeOptions options)
    {
        if (options.ExpectMode == ExpectMode.Contains)
        {
            return text => text.Contains(options.Expect!, StringComparison.Ordinal);
        }

        // A bounded regex: a hostile pattern cannot hold a worker for more than a moment.
        var regex = new Regex(options.Expect!, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(250));
        return text =>
        {
            try
            {
                return regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        };
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
