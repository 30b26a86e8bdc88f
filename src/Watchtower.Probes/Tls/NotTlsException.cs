using System.Security.Authentication;

namespace Watchtower.Probes.Tls;

/// <summary>
/// The TLS handshake failed because the peer does not speak TLS: it answered the ClientHello with
/// something else (an HTTP answer, an SMTP greeting, plain text), or closed without a word.
/// </summary>
public sealed class NotTlsException : AuthenticationException
{
    public NotTlsException()
    {
    }

    public NotTlsException(string message)
        : base(message)
    {
    }

    public NotTlsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="answer">What the peer sent, in words: "it answered like HTTP (“HTTP/1.1 400 Bad Request”)"; empty when it sent nothing.</param>
    public NotTlsException(string answer, bool sentNothing, Exception? innerException)
        : base(sentNothing ? "The peer closed the connection without answering the TLS handshake." : $"The peer does not speak TLS; {answer}.", innerException)
    {
        Answer = answer;
        SentNothing = sentNothing;
    }

    /// <summary>What the peer sent, in words ("it sent an SMTP or FTP greeting (“220 mail.example.com ESMTP”)"); empty when it sent nothing.</summary>
    public string Answer { get; } = "";

    /// <summary>True when the peer closed (or reset) the connection without sending a byte.</summary>
    public bool SentNothing { get; }

    /// <summary>The sentence for a check: <paramref name="service"/> is its subject ("The service on port 28080").</summary>
    public string Describe(string service) => SentNothing
        ? $"{service} closed the connection without answering the TLS handshake; it may not speak TLS."
        : $"{service} does not speak TLS; {Answer}.";
}
