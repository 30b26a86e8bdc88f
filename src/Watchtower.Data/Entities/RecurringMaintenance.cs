namespace Watchtower.Data.Entities;

/// <summary>
/// A maintenance window that repeats every week: on <see cref="Days"/> at <see cref="StartTime"/>
/// (wall-clock time in <see cref="TimeZone"/>, so it stays at 02:00 across daylight-saving changes)
/// for <see cref="DurationMinutes"/>, from <see cref="FirstDay"/> until <see cref="LastDay"/> (none: for ever).
/// </summary>
/// <remarks>
/// Its occurrences are real <see cref="Maintenance"/> rows, written ahead (up to
/// <see cref="RecurringMaintenanceSchedule.Horizon"/>) by the recurring pass, each keyed by
/// (<see cref="Maintenance.RecurringMaintenanceId"/>, <see cref="Maintenance.OccurrenceOn"/>): everything that reads
/// windows (active maintenance, rollups, the public page, the API) reads occurrences without knowing about
/// recurrence, with the indexes it already has. <see cref="MaterializedThrough"/> is how far the pass has written,
/// so an occurrence the owner cancelled (deleted) is not written again.
/// </remarks>
public sealed class RecurringMaintenance
{
    /// <summary>The longest one occurrence may last: a week, so that occurrences never overlap themselves.</summary>
    public const int MaxDurationMinutes = 7 * 24 * 60;

    public int Id { get; set; }
    public int TeamId { get; set; }
    public int StatusPageId { get; set; }
    public StatusPage? StatusPage { get; set; }
    public required string Title { get; set; }

    /// <summary>The notice of every occurrence, Markdown source.</summary>
    public string Body { get; set; } = "";

    /// <summary>IANA id ("Europe/Berlin") in which <see cref="StartTime"/> and the days are meant.</summary>
    public required string TimeZone { get; set; }

    /// <summary>The weekdays it occurs on.</summary>
    public WeekDays Days { get; set; }

    /// <summary>Local wall-clock start of each occurrence.</summary>
    public TimeOnly StartTime { get; set; }

    public int DurationMinutes { get; set; }

    /// <summary>The first local day an occurrence may start on.</summary>
    public DateOnly FirstDay { get; set; }

    /// <summary>The last local day an occurrence may start on; null: no end.</summary>
    public DateOnly? LastDay { get; set; }

    /// <summary>The local day through which occurrences have been written.</summary>
    public DateOnly? MaterializedThrough { get; set; }

    /// <summary>The services (checks shown on the page) each occurrence covers.</summary>
    public List<int> CheckIds { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Days of the week as flags (stored as one integer).</summary>
[Flags]
#pragma warning disable CA1714 // Flags enums should have plural names: it has one.
public enum WeekDays
#pragma warning restore CA1714
{
    None = 0,
    Sunday = 1 << DayOfWeek.Sunday,
    Monday = 1 << DayOfWeek.Monday,
    Tuesday = 1 << DayOfWeek.Tuesday,
    Wednesday = 1 << DayOfWeek.Wednesday,
    Thursday = 1 << DayOfWeek.Thursday,
    Friday = 1 << DayOfWeek.Friday,
    Saturday = 1 << DayOfWeek.Saturday,
}

/// <summary>The occurrences of a weekly rule, DST-correct through <see cref="TimeZoneInfo"/>.</summary>
public static class RecurringMaintenanceSchedule
{
    /// <summary>How far ahead occurrences are written as rows.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(14);

    public static WeekDays Of(DayOfWeek day) => (WeekDays)(1 << (int)day);

    public static WeekDays Of(IEnumerable<DayOfWeek> days) => (days ?? []).Aggregate(WeekDays.None, (all, d) => all | Of(d));

    public static IEnumerable<DayOfWeek> DaysIn(WeekDays days) => Enum.GetValues<DayOfWeek>().Where(d => days.HasFlag(Of(d)));

    /// <summary>
    /// The occurrences (UTC start, UTC end, local day) whose local start day lies in [<paramref name="from"/>, <paramref name="through"/>].
    /// A start the clocks skip (spring forward) moves to the first valid minute after the gap; an ambiguous one
    /// (fall back) takes the first pass, standard-time offset aside — so 02:30 happens once either way.
    /// </summary>
    public static IEnumerable<(DateTimeOffset Start, DateTimeOffset End, DateOnly Day)> Occurrences(
        WeekDays days, TimeOnly startTime, int durationMinutes, TimeZoneInfo zone, DateOnly from, DateOnly through)
    {
        ArgumentNullException.ThrowIfNull(zone);
        for (var day = from; day <= through; day = day.AddDays(1))
        {
            if (!days.HasFlag(Of(day.DayOfWeek)))
            {
                continue;
            }

            var local = day.ToDateTime(startTime, DateTimeKind.Unspecified);
            while (zone.IsInvalidTime(local))
            {
                local = local.AddMinutes(1);
            }

            // Ambiguous (the hour repeats): the earlier instant, i.e. the larger (daylight) offset.
            var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
            var start = new DateTimeOffset(local, offset).ToUniversalTime();
            yield return (start, start.AddMinutes(durationMinutes), day);
        }
    }

    /// <summary>The local day of an instant in a zone.</summary>
    public static DateOnly DayIn(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
}
