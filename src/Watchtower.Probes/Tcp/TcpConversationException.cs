namespace Watchtower.Probes.Tcp;

/// <summary>A conversation ended in a failure with a known reason and a human sentence.</summary>
public sealed class TcpConversationException : Exception
{
    public TcpConversationException()
    {
    }

    public TcpConversationException(string message)
        : base(message)
    {
    }

    public TcpConversationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TcpConversationException(FailureReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public FailureReason Reason { get; } = FailureReason.UnexpectedResponse;
}
