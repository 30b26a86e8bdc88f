namespace Watchtower.Probes.Egress;

/// <summary>
/// An HTTP connection the egress guard did not make: the host was refused (<see cref="FailureReason.Blocked"/>),
/// did not resolve, or none of its addresses answered. An IOException, so HttpClient wraps it in its
/// HttpRequestException; the message is the guard's, fit to show to the owner.
/// </summary>
public sealed class EgressRefusedException : IOException
{
    public EgressRefusedException()
    {
    }

    public EgressRefusedException(string message)
        : base(message)
    {
    }

    public EgressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EgressRefusedException(FailureReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public FailureReason Reason { get; } = FailureReason.Error;
}
