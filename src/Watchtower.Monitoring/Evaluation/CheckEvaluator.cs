using Watchtower.Data.Entities;
using Watchtower.Probes;

namespace Watchtower.Monitoring.Evaluation;

/// <summary>
/// Judges a probe's facts against the check's expectations. Measuring (probes) and judging
/// (here) stay apart, so a new expectation never touches a probe.
/// </summary>
public static class CheckEvaluator
{
    public static Verdict Evaluate(Check check, ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(result);
        return result.Success
            ? new Verdict(CheckState.Up, result.Message)
            : new Verdict(CheckState.Down, result.Message);
    }
}
