using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Watchtower.Web.Tests.Branding;

/// <summary>Real image files made in the test: a PNG any browser decodes (zlib-compressed rows, CRCs), and the headers of JPEG and WebP.</summary>
internal static class TestImages
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> PNG in one colour.</summary>
    public static byte[] Png(int width, int height, (byte R, byte G, byte B) color, int padding = 0)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(output, "IHDR", header);
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + (width * 3)];
            for (var x = 0; x < width; x++)
            {
                (row[1 + (x * 3)], row[2 + (x * 3)], row[3 + (x * 3)]) = (color.R, color.G, color.B);
            }

            for (var y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }

        Chunk(output, "IDAT", raw.ToArray());
        if (padding > 0)
        {
            // An ancillary text chunk: a valid PNG that is simply large.
            var text = new byte[padding];
            Encoding.ASCII.GetBytes("Comment\0").CopyTo(text, 0);
            for (var i = 8; i < padding; i++)
            {
                text[i] = (byte)('a' + (i % 26));
            }

            Chunk(output, "tEXt", text);
        }

        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>The start of a baseline JPEG: SOI, an APP0 segment, then SOF0 with the size.</summary>
    public static byte[] JpegHeader(int width, int height) =>
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
        0xFF, 0xC0, 0x00, 0x11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
        0xFF, 0xD9,
    ];

    /// <summary>A lossless WebP container (VP8L) of the given size.</summary>
    public static byte[] WebPLossless(int width, int height)
    {
        var bits = (uint)(width - 1) | ((uint)(height - 1) << 14);
        var payload = new byte[] { 0x2F, (byte)bits, (byte)(bits >> 8), (byte)(bits >> 16), (byte)(bits >> 24), 0, 0, 0, 0, 0 };
        using var output = new MemoryStream();
        output.Write("RIFF"u8);
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)(4 + 8 + payload.Length));
        output.Write(size);
        output.Write("WEBPVP8L"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)payload.Length);
        output.Write(size);
        output.Write(payload);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        output.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        output.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
