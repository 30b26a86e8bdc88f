using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Evaluation;

/// <summary>
/// The evaluator's judgement of one run: up, degraded or down, why (for the owner), and the same
/// in words safe for a public page (no host names, addresses or what the service said).
/// </summary>
public sealed record Verdict(CheckState Status, string Message, string PublicMessage);
