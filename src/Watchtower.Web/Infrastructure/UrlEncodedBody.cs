using System.Buffers;
using System.Text;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// Whether an application/x-www-form-urlencoded body is what a browser's form encoder writes: every
/// "%" starts a two-digit hex escape, and the bytes the body stands for are UTF-8. ASP.NET Core reads
/// anything leniently — a stray "%" is kept as text, bytes that are not UTF-8 become "�" — and the page
/// would save what nobody typed; Watchtower refuses such a body instead (400, saying why).
/// </summary>
internal static class UrlEncodedBody
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>Reads the body to its end; null when it is well-formed UTF-8, else what is wrong with it.</summary>
    public static async Task<string?> ProblemAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        // Throws on an invalid sequence, and keeps a sequence cut by a chunk boundary for the next chunk.
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var raw = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var bytes = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var chars = ArrayPool<char>.Shared.Rent(ChunkSize + 4);
        try
        {
            // Inside an escape: 0 none, 1 after "%", 2 after "%X" (high nibble kept).
            var (state, high) = (0, 0);
            int read;
            while ((read = await body.ReadAsync(raw.AsMemory(0, ChunkSize), cancellationToken)) > 0)
            {
                var count = 0;
                for (var i = 0; i < read; i++)
                {
                    var b = raw[i];
                    switch (state)
                    {
                        case 0 when b == '%':
                            state = 1;
                            break;
                        case 0:
                            bytes[count++] = b;
                            break;
                        case 1 when HexValue(b) is var h && h >= 0:
                            (state, high) = (2, h);
                            break;
                        case 2 when HexValue(b) is var l && l >= 0:
                            bytes[count++] = (byte)((high << 4) | l);
                            state = 0;
                            break;
                        default:
                            return BadEscape;
                    }
                }

                if (!IsUtf8(decoder, bytes.AsSpan(0, count), chars, flush: false))
                {
                    return NotUtf8;
                }
            }

            return state != 0 ? BadEscape : IsUtf8(decoder, [], chars, flush: true) ? null : NotUtf8;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private const string BadEscape = "This form is not well-formed: it has a % that does not start an escape such as %20. Reload the page and send it again.";

    private const string NotUtf8 = "This form holds bytes that are not UTF-8; send UTF-8.";

    private static bool IsUtf8(Decoder decoder, ReadOnlySpan<byte> bytes, char[] chars, bool flush)
    {
        try
        {
            decoder.GetChars(bytes, chars, flush);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
