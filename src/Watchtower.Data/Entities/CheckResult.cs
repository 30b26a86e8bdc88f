using Watchtower.Probes;

namespace Watchtower.Data.Entities;

/// <summary>
/// One execution of a check, as narrow as it can be: there are millions of these. Which check,
/// when, the verdict, the latency and, for runs that were not up, a reference to the message. The
/// full facts of a run live on the check (its latest run) and on state changes, not here.
/// </summary>
/// <remarks>
/// The key (check, time) is the only index and serves "latest runs of a check". On PostgreSQL the
/// table is partitioned by day of <see cref="CheckedAt"/> and retention drops whole days; there
/// the columns are laid out widest first so no byte goes to alignment padding.
/// </remarks>
public sealed class CheckResult
{
    public int CheckId { get; set; }
    public DateTimeOffset CheckedAt { get; set; }

    /// <summary>Stored as its number (see <see cref="CheckState"/>).</summary>
    public CheckState Status { get; set; }

    /// <summary>Stored as its number (see <see cref="FailureReason"/>).</summary>
    public FailureReason Reason { get; set; }

    public int? LatencyMs { get; set; }

    /// <summary>
    /// The run's message in <see cref="ResultMessage"/>, for runs that were not up (an up run's
    /// message holds its own timings, so every one would be new). No foreign key: retention
    /// deletes messages by when they were last used, which a key would make scan every result.
    /// </summary>
    public int? MessageId { get; set; }
}
