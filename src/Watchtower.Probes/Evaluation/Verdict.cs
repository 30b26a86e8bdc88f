namespace Watchtower.Probes.Evaluation;

/// <summary>What one run of a check says about the service. Stored by name (as the check state of the same name).</summary>
public enum Health
{
    Up = 1,
    Degraded,
    Down,
}

/// <summary>
/// The evaluator's judgement of one run: up, degraded or down; the reason code (the probe's, or the
/// evaluator's own for what it judged); why, for the owner; and the same in words safe for a public
/// page (no host names, ports, addresses or what the service said).
/// </summary>
public sealed record Verdict(Health Status, FailureReason Reason, string Message, string PublicMessage);
