using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Watchtower.Web.Branding;

/// <summary>
/// An uploaded logo, checked: a PNG, JPEG or WebP file by its own bytes (not its name or the type the
/// browser claimed), at most <see cref="MaxBytes"/> and <see cref="MaxSide"/> pixels a side. Only the
/// headers are read — the image is never decoded on the server (no image codec runs on untrusted
/// bytes here); readers' browsers decode it, served with its true type and nosniff. SVG is refused:
/// it is a document that can carry script and links, not a picture.
/// </summary>
public sealed record LogoImage(byte[] Content, string ContentType, string Extension, int Width, int Height, string Hash)
{
    public const int MaxBytes = 512 * 1024;
    public const int MaxSide = 1024;

    public const string Accepted = "image/png,image/jpeg,image/webp";

    /// <summary>The file's image, or the message to show next to the field.</summary>
    public static (LogoImage? Image, string? Error) Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            return (null, "The file is empty. Choose a PNG, JPEG or WebP image.");
        }

        if (bytes.Length > MaxBytes)
        {
            return (null, $"The logo is {bytes.Length / 1024:N0} KB; the most is {MaxBytes / 1024} KB. Make it smaller and upload it again.");
        }

        var found = Png(bytes) ?? Jpeg(bytes) ?? WebP(bytes);
        if (found is not { } image)
        {
            return (null, LooksLikeSvg(bytes)
                ? "SVG logos are not accepted (an SVG can carry script). Upload a PNG, JPEG or WebP image."
                : "This file is not a PNG, JPEG or WebP image. Upload the logo as one of those.");
        }

        if (image.Width <= 0 || image.Height <= 0)
        {
            return (null, "This image file is damaged: it gives no size. Export it again and upload it.");
        }

        if (image.Width > MaxSide || image.Height > MaxSide)
        {
            return (null, $"The logo is {image.Width}×{image.Height} pixels; the most is {MaxSide}×{MaxSide}. Scale it down and upload it again.");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        return (new LogoImage(bytes, image.Type, image.Extension, image.Width, image.Height, hash), null);
    }

    /// <summary>The file extension the logo's address ends in, from its stored type.</summary>
    public static string ExtensionOf(string? contentType) => contentType switch
    {
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        _ => "png",
    };

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Signature, then the IHDR chunk first (as the PNG spec requires), and an IEND chunk at the end.</summary>
    private static (string Type, string Extension, int Width, int Height)? Png(byte[] b)
    {
        if (b.Length < 8 + 25 + 12 || !b.AsSpan(0, 8).SequenceEqual(PngSignature))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(8));
        if (length != 13 || !b.AsSpan(12, 4).SequenceEqual("IHDR"u8) || !b.AsSpan(b.Length - 8, 4).SequenceEqual("IEND"u8))
        {
            return null;
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(16));
        var height = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(20));
        return ("image/png", "png", (int)Math.Min(width, int.MaxValue), (int)Math.Min(height, int.MaxValue));
    }

    /// <summary>SOI, then markers segment by segment to the first start-of-frame, whose header holds the size.</summary>
    private static (string Type, string Extension, int Width, int Height)? Jpeg(byte[] b)
    {
        if (b.Length < 4 || b[0] != 0xFF || b[1] != 0xD8 || b[2] != 0xFF)
        {
            return null;
        }

        var i = 2;
        while (i + 4 <= b.Length)
        {
            if (b[i] != 0xFF)
            {
                return null;
            }

            var marker = b[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2; // no length
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return null; // end of image or scan data before any frame header
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(i + 2));
            if (length < 2 || i + 2 + length > b.Length)
            {
                return null;
            }

            // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), carry precision, height, width.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 7)
                {
                    return null;
                }

                var height = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(i + 5));
                var width = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(i + 7));
                return ("image/jpeg", "jpg", width, height);
            }

            i += 2 + length;
        }

        return null;
    }

    /// <summary>RIFF container of the file's own length, "WEBP", then a VP8, VP8L or VP8X chunk with the canvas size.</summary>
    private static (string Type, string Extension, int Width, int Height)? WebP(byte[] b)
    {
        if (b.Length < 30 || !b.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !b.AsSpan(8, 4).SequenceEqual("WEBP"u8))
        {
            return null;
        }

        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4));
        if (riffSize + 8 != b.Length && riffSize + 9 != b.Length)
        {
            return null; // truncated, or something appended after the image
        }

        var chunk = b.AsSpan(12, 4);
        var data = b.AsSpan(20);
        if (chunk.SequenceEqual("VP8X"u8))
        {
            var width = 1 + (data[4] | (data[5] << 8) | (data[6] << 16));
            var height = 1 + (data[7] | (data[8] << 8) | (data[9] << 16));
            return ("image/webp", "webp", width, height);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (data[0] != 0x2F)
            {
                return null;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
            return ("image/webp", "webp", (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        if (chunk.SequenceEqual("VP8 "u8))
        {
            // 3-byte frame tag, then the key frame start code 9D 01 2A, then 14-bit width and height.
            if (data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A)
            {
                return null;
            }

            return ("image/webp", "webp", BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF);
        }

        return null;
    }

    private static bool LooksLikeSvg(byte[] bytes)
    {
        var head = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 1024));
        return head.Contains("<svg", StringComparison.OrdinalIgnoreCase);
    }
}
