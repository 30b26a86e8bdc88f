namespace Watchtower.Data.Entities;

/// <summary>
/// Planned work on a page's services: a window (stored in UTC, entered and shown in an IANA time
/// zone), the services it touches, a notice in Markdown. With <see cref="AutoStartEnd"/> it starts
/// and ends by the clock; otherwise the owner starts and completes it. A check in a window that is
/// in progress shows "Under maintenance" and opens no incident.
/// </summary>
public sealed class Maintenance
{
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 10_000;
    public const int TimeZoneMaxLength = 64;

    public int Id { get; set; }
    public int TeamId { get; set; }
    public int StatusPageId { get; set; }
    public StatusPage? StatusPage { get; set; }
    public required string Title { get; set; }

    /// <summary>The notice, Markdown source.</summary>
    public string Body { get; set; } = "";

    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }

    /// <summary>IANA id ("Europe/Berlin") the owner entered the window in, and in which it is shown to them.</summary>
    public required string TimeZone { get; set; }

    /// <summary>Starts and ends by the clock; otherwise by the owner's hand.</summary>
    public bool AutoStartEnd { get; set; } = true;

    /// <summary>The status an owner set (used as it is when <see cref="AutoStartEnd"/> is off; see <see cref="StatusAt"/>).</summary>
    public MaintenanceStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<MaintenanceComponent> Components { get; set; } = [];

    /// <summary>The weekly rule this window is an occurrence of; null for a one-off window (or once its rule was stopped).</summary>
    public int? RecurringMaintenanceId { get; set; }
    public RecurringMaintenance? RecurringMaintenance { get; set; }

    /// <summary>An occurrence's local start day: with <see cref="RecurringMaintenanceId"/> its key, so a pass run twice adds nothing.</summary>
    public DateOnly? OccurrenceOn { get; set; }

    /// <summary>Where the window stands at <paramref name="now"/>: by the clock when automatic, else as the owner set it.</summary>
    public MaintenanceStatus StatusAt(DateTimeOffset now) => StatusAt(AutoStartEnd, Status, StartsAt, EndsAt, now);

    public static MaintenanceStatus StatusAt(bool auto, MaintenanceStatus status, DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset now) =>
        !auto || status == MaintenanceStatus.Completed ? status
        : now < startsAt ? MaintenanceStatus.Scheduled
        : now < endsAt ? MaintenanceStatus.InProgress
        : MaintenanceStatus.Completed;
}

/// <summary>Statuspage's scheduled-maintenance statuses.</summary>
public enum MaintenanceStatus
{
    Scheduled,
    InProgress,
    Completed,
}
