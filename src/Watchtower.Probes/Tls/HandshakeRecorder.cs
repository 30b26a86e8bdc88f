using System.Net.Sockets;
using System.Text;

namespace Watchtower.Probes.Tls;

/// <summary>
/// Passes a connection's bytes through unchanged and keeps the first ones the peer sends, so that a
/// failed TLS handshake can say what answered instead (“it answered like HTTP”), rather than the TLS
/// stack's “corrupted frame”.
/// </summary>
internal sealed class HandshakeRecorder(Stream inner) : Stream
{
    private const int Kept = 256;
    private readonly byte[] first = new byte[Kept];
    private int kept;
    private bool closed;

    /// <summary>
    /// What the peer sent instead of TLS, in words, or null when it answered like a TLS server (a
    /// record starts with 0x14–0x17, an SSLv2 one with the high bit set), or has not answered yet.
    /// </summary>
    public NotTlsException? NotTls(Exception? handshakeFailure) => kept > 0
        ? Describe(first.AsSpan(0, kept)) is { } answer ? new NotTlsException(answer, sentNothing: false, handshakeFailure) : null
        : closed ? new NotTlsException("", sentNothing: true, handshakeFailure) : null;

    /// <summary>The words for bytes that are not a TLS record; null when they are.</summary>
    internal static string? Describe(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes[0] is >= 0x14 and <= 0x17 || bytes[0] >= 0x80)
        {
            return null;
        }

        var text = Encoding.Latin1.GetString(bytes);
        var line = FirstLine(text);
        return text switch
        {
            _ when text.StartsWith("HTTP/", StringComparison.Ordinal) => $"it answered like HTTP (“{line}”)",
            _ when text.StartsWith("220", StringComparison.Ordinal) => $"it sent an SMTP or FTP greeting (“{line}”)",
            _ when text.StartsWith("SSH-", StringComparison.Ordinal) => $"it sent an SSH greeting (“{line}”)",
            _ when text.StartsWith("* OK", StringComparison.Ordinal) || text.StartsWith("* PREAUTH", StringComparison.Ordinal) => $"it sent an IMAP greeting (“{line}”)",
            _ when text.StartsWith("+OK", StringComparison.Ordinal) => $"it sent a POP3 greeting (“{line}”)",
            _ when IsRedis(text) => $"it answered like Redis (“{line}”)",
            _ when IsText(bytes) => $"it sent plain text (“{line}”)",
            _ => $"it sent {bytes.Length} byte{(bytes.Length == 1 ? "" : "s")} that are not TLS ({Convert.ToHexString(bytes[..Math.Min(bytes.Length, 8)]).ToLowerInvariant()}…)",
        };
    }

    private static bool IsRedis(string text) =>
        text.StartsWith("-ERR", StringComparison.Ordinal) || text.StartsWith("-NOAUTH", StringComparison.Ordinal) || text.StartsWith("-DENIED", StringComparison.Ordinal)
        || text.StartsWith("-WRONGPASS", StringComparison.Ordinal) || text.StartsWith("-LOADING", StringComparison.Ordinal) || text.StartsWith("+PONG", StringComparison.Ordinal);

    /// <summary>Mostly printable ASCII: text a person could read, as opposed to a binary protocol.</summary>
    private static bool IsText(ReadOnlySpan<byte> bytes)
    {
        var printable = 0;
        foreach (var b in bytes)
        {
            printable += b is >= 0x20 and < 0x7f or (byte)'\r' or (byte)'\n' or (byte)'\t' ? 1 : 0;
        }

        return printable * 10 >= bytes.Length * 9;
    }

    /// <summary>The first non-empty line, printable and at most 80 characters.</summary>
    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        var builder = new StringBuilder(Math.Min(line.Length, 81));
        foreach (var c in line)
        {
            if (builder.Length == 80)
            {
                builder.Append('…');
                break;
            }

            builder.Append(c is >= ' ' and <= '~' ? c : '·');
        }

        return builder.ToString().Trim();
    }

    private void Record(ReadOnlySpan<byte> read)
    {
        if (read.IsEmpty)
        {
            closed = true;
            return;
        }

        var room = Kept - kept;
        if (room > 0)
        {
            var take = Math.Min(room, read.Length);
            read[..take].CopyTo(first.AsSpan(kept));
            kept += take;
        }
    }

    /// <summary>A reset or abort before any answer counts as closing without a word.</summary>
    private void NoteFailure(IOException ex)
    {
        if (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown })
        {
            closed = true;
        }
    }

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override bool CanTimeout => inner.CanTimeout;

    public override int ReadTimeout { get => inner.ReadTimeout; set => inner.ReadTimeout = value; }

    public override int WriteTimeout { get => inner.WriteTimeout; set => inner.WriteTimeout = value; }

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            var read = inner.Read(buffer);
            Record(buffer[..read]);
            return read;
        }
        catch (IOException ex)
        {
            NoteFailure(ex);
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Record(buffer.Span[..read]);
            return read;
        }
        catch (IOException ex)
        {
            NoteFailure(ex);
            throw;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (IOException ex)
        {
            NoteFailure(ex);
            throw;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        catch (IOException ex)
        {
            NoteFailure(ex);
            throw;
        }
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
