namespace Watchtower.Monitoring.Engine;

/// <summary>
/// What one claim may take: one location's due checks, at most <see cref="Limit"/> leased in batches of
/// <see cref="BatchSize"/>, and besides them at most <see cref="LateLimit"/> checks overdue by more than
/// <see cref="CatchUpAfter"/> moved to their next slot. The late ones do not count against the limit:
/// the limit is the room left for work in flight, and moving a check costs no room — were they counted,
/// a dispatcher with little room would spend its passes moving the oldest checks forward a few at a
/// time while the ones just due became late too, and lease nothing at all.
/// </summary>
public readonly record struct ClaimRequest(string Location, DateTimeOffset Now, int Limit, int BatchSize, TimeSpan LeaseMargin, TimeSpan CatchUpAfter, int LateLimit);

/// <summary>Checks leased together under one lease id: one Hangfire job runs them.</summary>
public readonly record struct LeasedBatch(Guid Lease, int Count);

/// <summary>What a claim did: the batches leased, and how many overdue checks were moved to a later slot instead.</summary>
public sealed record ClaimOutcome(IReadOnlyList<LeasedBatch> Batches, int Rescheduled)
{
    public int Leased => Batches.Sum(b => b.Count);

    /// <summary>Rows the claim touched.</summary>
    public int Touched => Leased + Rescheduled;

    /// <summary>Whether another claim may find more: either kind of row reached its limit.</summary>
    public bool Full(ClaimRequest request) => Leased >= request.Limit || Rescheduled >= request.LateLimit;
}

/// <summary>
/// Claims due checks atomically, so that several dispatchers never claim the same check. A due
/// check gets a lease (<see cref="Data.Entities.Check.LeaseId"/>, and <see cref="Data.Entities.Check.NextRunAt"/>
/// becomes the lease's expiry: its timeout plus a margin); one overdue by more than the catch-up
/// grace (no worker, an outage) is not run now but moved to its own next slot (<see cref="Schedule.CatchUpSlot"/>),
/// so that a crowd of overdue checks never runs in one burst.
/// </summary>
public interface IDueCheckClaimer
{
    Task<ClaimOutcome> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken);

    /// <summary>Checks claimed and not yet finished (lease held and unexpired), per location.</summary>
    Task<IReadOnlyDictionary<string, int>> CountLeasedAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
