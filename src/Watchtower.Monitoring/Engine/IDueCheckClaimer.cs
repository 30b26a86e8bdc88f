namespace Watchtower.Monitoring.Engine;

/// <summary>A due check, claimed: its next run has already been moved forward.</summary>
public readonly record struct ClaimedCheck(int Id, string Location);

/// <summary>
/// Claims due checks atomically so that several dispatchers never claim the same check,
/// and moves each claimed check's next run one interval forward.
/// </summary>
public interface IDueCheckClaimer
{
    Task<IReadOnlyList<ClaimedCheck>> ClaimDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
