using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Evaluation;

/// <summary>The evaluator's judgement of one run: up, degraded or down, and why.</summary>
public sealed record Verdict(CheckState Status, string Message);
