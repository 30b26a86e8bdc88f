using System.Buffers;
using System.Globalization;
using System.Text;

namespace Watchtower.Probes.Tcp;

/// <summary>
/// Turns what an owner typed (text with escapes, or hex) into the bytes to send. Text is sent as
/// UTF-8; the escapes (\r \n \t \0 \\ \xHH) give exactly the byte they name.
/// </summary>
public static class Payload
{
    public const int MaxBytes = 4096;

    public static bool TryParse(string? text, PayloadFormat format, out byte[] bytes, out string error)
    {
        bytes = [];
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        return format == PayloadFormat.Hex ? TryHex(text, out bytes, out error) : TryText(text, out bytes, out error);
    }

    private static bool TryHex(string text, out byte[] bytes, out string error)
    {
        bytes = [];
        error = "";
        var digits = new string([.. text.Where(c => !char.IsWhiteSpace(c) && c != ':' && c != '-')]);
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        if (digits.Length % 2 != 0 || !digits.All(char.IsAsciiHexDigit))
        {
            error = "Hex must be pairs of digits 0–9 and a–f, e.g. “16 03 01 00”.";
            return false;
        }

        if (digits.Length / 2 > MaxBytes)
        {
            error = $"Send at most {MaxBytes} bytes.";
            return false;
        }

        bytes = Convert.FromHexString(digits);
        return true;
    }

    private static bool TryText(string text, out byte[] bytes, out string error)
    {
        bytes = [];
        error = "";
        var output = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                // Whole code points, not UTF-16 units: a character outside the BMP is a surrogate
                // pair, and encoding each half alone would send two U+FFFD instead of it.
                if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != OperationStatus.Done)
                {
                    error = $"The text is not valid Unicode (a lone surrogate at character {i + 1}).";
                    return false;
                }

                var length = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..length])
                {
                    output.Add(b);
                }

                i += consumed - 1;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                error = "A backslash at the end needs a letter after it: \\r, \\n, \\t, \\0, \\\\ or \\xHH.";
                return false;
            }

            var next = text[++i];
            switch (next)
            {
                case 'r': output.Add(13); break;
                case 'n': output.Add(10); break;
                case 't': output.Add(9); break;
                case '0': output.Add(0); break;
                case '\\': output.Add((byte)'\\'); break;
                case 'x' when i + 2 < text.Length && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value):
                    output.Add(value);
                    i += 2;
                    break;
                default:
                    error = $"Unknown escape \\{next}. Use \\r, \\n, \\t, \\0, \\\\ or \\xHH.";
                    return false;
            }
        }

        if (output.Count > MaxBytes)
        {
            error = $"Send at most {MaxBytes} bytes.";
            return false;
        }

        bytes = [.. output];
        return true;
    }
}
