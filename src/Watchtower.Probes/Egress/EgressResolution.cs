using System.Net;

namespace Watchtower.Probes.Egress;

/// <summary>The outcome of resolving a host once and checking every address it gave.</summary>
public sealed record EgressResolution
{
    /// <summary>The addresses that may be dialled, in the order to try them. Empty when refused.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    /// <summary>None when allowed; Dns or Blocked otherwise.</summary>
    public FailureReason Reason { get; init; }

    public string Message { get; init; } = "";

    public TimeSpan? DnsTime { get; init; }

    public bool Allowed => Reason == FailureReason.None;
}
