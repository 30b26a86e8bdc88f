using System.Net;

namespace Watchtower.Probes.Egress;

/// <summary>One address the guard dialled without getting a connection: where, why, and a short "refused" / "no answer within 2 s".</summary>
public sealed record ConnectAttempt(IPEndPoint EndPoint, FailureReason Reason, string Outcome);
