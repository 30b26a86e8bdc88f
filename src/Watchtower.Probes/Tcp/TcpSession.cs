using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Tcp;

/// <summary>
/// A connected socket seen as a conversation: read lines or bytes with a per-answer timeout,
/// write, and upgrade to TLS. Every failure becomes a <see cref="TcpConversationException"/>
/// with a reason from the fixed set, and the first byte's time and the TLS facts are recorded.
/// </summary>
public sealed class TcpSession : IAsyncDisposable
{
    private const int MaxLine = 4096;
    private readonly TlsInspector tls;
    private readonly TimeProvider time;
    private readonly long connectedAt;
    private readonly int? port;
    private readonly byte[] buffer = new byte[8192];
    private int start;
    private int end;
    private Stream stream;

    public TcpSession(Socket socket, TcpSettings options, TimeSpan readTimeout, string serverName, TlsInspector tls, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(options);
        stream = new NetworkStream(socket, ownsSocket: false);
        Options = options;
        ReadTimeout = readTimeout;
        ServerName = serverName;
        this.tls = tls;
        this.time = time;
        connectedAt = time.GetTimestamp();
        port = (socket.RemoteEndPoint as System.Net.IPEndPoint)?.Port;
        Label = options.Service == TcpService.Custom ? "The service" : TcpServices.ShortName(options.Service) + " server";
    }

    public TcpSettings Options { get; }

    /// <summary>How long to wait for each answer (and the TLS handshake), within the probe's whole timeout.</summary>
    public TimeSpan ReadTimeout { get; }

    public string ServerName { get; }

    /// <summary>"SMTP server", "The service": the subject of this conversation's sentences.</summary>
    public string Label { get; }

    public TimeSpan? FirstByte { get; private set; }

    public TimeSpan? TlsTime { get; private set; }

    public CertificateFacts? Certificate { get; private set; }

    public string? TlsProtocol { get; private set; }

    /// <summary>What the service said first, made printable and trimmed; set by the conversation.</summary>
    public string? Banner { get; set; }

    /// <summary>True once a read found the service had closed its side of the connection.</summary>
    public bool PeerClosed { get; private set; }

    /// <summary>What a custom conversation read back, for the evaluator to judge.</summary>
    public ReplyFacts? Reply { get; set; }

    /// <summary>A note the conversation adds to its success sentence ("requires a password").</summary>
    public string? Note { get; set; }

    private string Wait => EgressSeconds(ReadTimeout);

    /// <summary>Reads one line (without CR/LF). <paramref name="waitingFor"/> completes "{Label} …": "did not greet".</summary>
    public async Task<string> ReadLineAsync(string waitingFor, CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                var line = Encoding.Latin1.GetString(buffer, start, newline - start).TrimEnd('\r');
                start = newline + 1;
                return line;
            }

            if (end - start >= MaxLine)
            {
                throw new TcpConversationException(FailureReason.UnexpectedResponse,
                    $"{Label} sent a line longer than {MaxLine} bytes instead of the expected answer.");
            }

            if (await FillAsync(waitingFor, cancellationToken) == 0)
            {
                if (end > start)
                {
                    var rest = Encoding.Latin1.GetString(buffer, start, end - start);
                    start = end;
                    return rest;
                }

                throw Closed(waitingFor);
            }
        }
    }

    /// <summary>Reads an SMTP/FTP style reply: lines "250-…" continue until "250 …". Returns the code and the lines' text.</summary>
    public async Task<(int Code, string Text)> ReadReplyAsync(string waitingFor, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(waitingFor, cancellationToken);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                throw new TcpConversationException(FailureReason.UnexpectedResponse, $"{Label} answered “{Printable(line)}” instead of a reply code.");
            }

            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return (code, string.Join('\n', lines));
            }

            if (lines.Count > 200)
            {
                throw new TcpConversationException(FailureReason.UnexpectedResponse, $"{Label} sent a reply of more than 200 lines.");
            }
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public async Task<byte[]> ReadExactlyAsync(int count, string waitingFor, CancellationToken cancellationToken)
    {
        while (end - start < count)
        {
            if (end == buffer.Length)
            {
                Compact();
            }

            if (count > buffer.Length || await FillAsync(waitingFor, cancellationToken) == 0)
            {
                throw Closed(waitingFor);
            }
        }

        var result = buffer.AsSpan(start, count).ToArray();
        start += count;
        return result;
    }

    /// <summary>Reads whatever arrives until <paramref name="enough"/> says so, the peer closes, or the read timeout passes after some data.</summary>
    public async Task<byte[]> ReadUntilAsync(Func<ReadOnlyMemory<byte>, bool> enough, int maxBytes, string waitingFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enough);
        using var received = new MemoryStream();
        while (received.Length < maxBytes)
        {
            if (end == start)
            {
                int read;
                try
                {
                    read = await FillAsync(waitingFor, cancellationToken);
                }
                catch (TcpConversationException ex) when (ex.Reason == FailureReason.Silent && received.Length > 0)
                {
                    break; // the service said something, then stopped: judge what it said
                }

                if (read == 0)
                {
                    break;
                }
            }

            received.Write(buffer, start, end - start);
            start = end;
            if (enough(received.GetBuffer().AsMemory(0, (int)received.Length)))
            {
                break;
            }
        }

        return received.ToArray();
    }

    public async Task WriteAsync(string text, CancellationToken cancellationToken) =>
        await WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(bytes, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw IoFailure(ex, "did not take our request");
        }
    }

    /// <summary>
    /// Switches the conversation to TLS (implicit TLS, or after STARTTLS) and records the certificate.
    /// The handshake gets the read timeout, like any other answer: a port that accepts and never
    /// answers the ClientHello is a silent service, not a check that ran out of time.
    /// </summary>
    public async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshakeTimeout.CancelAfter(ReadTimeout);
        try
        {
            var (secure, certificate) = await tls.HandshakeAsync(stream, ServerName, handshakeTimeout.Token);
            stream = secure;
            Certificate = certificate;
            TlsProtocol = secure.SslProtocol.ToString();
            TlsTime = time.GetElapsedTime(started);
        }
        catch (OperationCanceledException ex)
        {
            // Before the first byte the service has only accepted the connection; after a
            // greeting (STARTTLS) it has talked, so "accepted" would understate what we saw.
            var who = FirstByte is null ? $"{Label} accepted the connection but" : Label;
            var when = cancellationToken.IsCancellationRequested ? "before the check's timeout" : $"within {Wait}";
            throw new TcpConversationException(FailureReason.Silent, $"{who} did not answer the TLS handshake {when}.", ex);
        }
        catch (NotTlsException ex)
        {
            // Implicit TLS: nothing was said before the handshake, so whatever answered is the service
            // on that port. After STARTTLS the server had agreed to start TLS and then did not.
            throw new TcpConversationException(FailureReason.Tls, FirstByte is null
                ? ex.Describe(port is { } p ? $"The service on port {p}" : "The service")
                : ex.SentNothing ? $"{Label} closed the connection instead of starting TLS after STARTTLS."
                : $"{Label} did not start TLS after STARTTLS; {ex.Answer}.", ex);
        }
        catch (AuthenticationException ex)
        {
            throw new TcpConversationException(FailureReason.Tls, $"TLS handshake with {Label} failed: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new TcpConversationException(FailureReason.Tls, $"TLS handshake with {Label} failed: the connection closed ({ex.Message}).", ex);
        }

        start = end = 0;
    }

    /// <summary>Best effort: say goodbye and read the answer, ignoring any failure (the check already has its result).</summary>
    public async Task QuitAsync(string command, CancellationToken cancellationToken)
    {
        try
        {
            using var brief = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            brief.CancelAfter(TimeSpan.FromSeconds(1));
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command), brief.Token);
            _ = await stream.ReadAsync(buffer.AsMemory(0, 512), brief.Token); // any answer, or none, will do
        }
#pragma warning disable CA1031 // Goodbyes never change the outcome.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public async ValueTask DisposeAsync() => await stream.DisposeAsync();

    /// <summary>Printable ASCII, whitespace collapsed, at most 200 characters: safe to store and show.</summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 200));
        foreach (var c in text)
        {
            if (builder.Length >= 200)
            {
                builder.Append('…');
                break;
            }

            builder.Append(c is >= ' ' and <= '~' ? c : c is '\r' or '\n' or '\t' ? ' ' : '·');
        }

        return builder.ToString().Trim();
    }

    private async Task<int> FillAsync(string waitingFor, CancellationToken cancellationToken)
    {
        if (start == end)
        {
            start = end = 0;
        }
        else if (end == buffer.Length)
        {
            Compact();
        }

        using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        readTimeout.CancelAfter(ReadTimeout);
        try
        {
            var read = await stream.ReadAsync(buffer.AsMemory(end), readTimeout.Token);
            FirstByte ??= read > 0 ? time.GetElapsedTime(connectedAt) : null;
            PeerClosed |= read == 0;
            end += read;
            return read;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TcpConversationException(FailureReason.Silent, $"{Label} {waitingFor} within {Wait}.");
        }
        catch (OperationCanceledException)
        {
            // The probe's whole budget ran out while we waited: that too is the server being silent.
            throw new TcpConversationException(FailureReason.Silent, $"{Label} {waitingFor} before the check's timeout.");
        }
        catch (IOException ex)
        {
            throw IoFailure(ex, waitingFor);
        }
    }

    private void Compact()
    {
        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
    }

    private TcpConversationException Closed(string waitingFor) =>
        new(FailureReason.UnexpectedResponse, $"{Label} closed the connection: it {waitingFor}.");

    private TcpConversationException IoFailure(IOException ex, string waitingFor) =>
        ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted }
            ? new TcpConversationException(FailureReason.Reset, $"{Label} reset the connection: it {waitingFor}.", ex)
            : new TcpConversationException(FailureReason.Reset, $"The connection broke while {Label} {waitingFor.Replace("did not ", "should ", StringComparison.Ordinal)}: {ex.Message}", ex);

    private static string EgressSeconds(TimeSpan span) => Egress.EgressGuard.Seconds(span);
}
