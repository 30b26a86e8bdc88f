using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Incidents;
using Watchtower.Monitoring.Subscribers;
using Watchtower.Web.Checks;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Incidents;

/// <summary>
/// The one way an owner changes maintenance windows: schedule, edit, start, complete, cancel. Times
/// are entered in an IANA time zone and stored in UTC. Scoped to the current team; every change is
/// audited and evicts the public pages from the output cache.
/// </summary>
public sealed class MaintenanceService(TeamScope scope, AuditLog audit, IOutputCacheStore cache, TimeProvider time)
{
    /// <summary>The longest window one entry may describe.</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(31);

    public IQueryable<Maintenance> Maintenances
    {
        get
        {
            var team = scope.TeamId;
            return scope.Db.Maintenances.Where(m => m.TeamId == team);
        }
    }

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The IANA zones the form offers, by id.</summary>
    public static IReadOnlyList<string> TimeZones { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Select(z => TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var iana) ? iana : z.Id)
        .Append("UTC").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public async Task<Maintenance?> FindAsync(int id, CancellationToken cancellationToken) =>
        await Maintenances.AsNoTracking().Include(m => m.StatusPage).Include(m => m.RecurringMaintenance).Include(m => m.Components).ThenInclude(c => c.Check)
            .FirstOrDefaultAsync(m => m.Id == id, cancellationToken);

    /// <summary>The form's values for a stored window: its times in its own zone.</summary>
    public static MaintenanceInput InputOf(Maintenance maintenance)
    {
        ArgumentNullException.ThrowIfNull(maintenance);
        var zone = Zone(maintenance.TimeZone) ?? TimeZoneInfo.Utc;
        return new MaintenanceInput
        {
            Title = maintenance.Title,
            Body = maintenance.Body,
            TimeZone = maintenance.TimeZone,
            AutoStartEnd = maintenance.AutoStartEnd,
            StartsAt = TimeZoneInfo.ConvertTime(maintenance.StartsAt, zone).DateTime,
            EndsAt = TimeZoneInfo.ConvertTime(maintenance.EndsAt, zone).DateTime,
            CheckIds = maintenance.Components.Select(c => c.CheckId).ToList(),
        };
    }

    public async Task<Outcome> CreateAsync(int pageId, MaintenanceInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var page = await scope.FindPageAsync(pageId, cancellationToken);
        if (page is null)
        {
            return Outcome.Missing;
        }

        var errors = new FieldErrors();
        var window = Validate(input, errors, isNew: true);
        var components = await ValidateComponentsAsync(pageId, input.CheckIds, errors, cancellationToken);
        if (input.Repeat)
        {
            ValidateRepeat(input, window, errors);
        }

        if (!errors.IsEmpty || window is not { } w)
        {
            return Outcome.Invalid(errors);
        }

        if (input.Repeat)
        {
            return await CreateRecurringAsync(page, input, w, components, cancellationToken);
        }

        var maintenance = new Maintenance
        {
            TeamId = scope.TeamId,
            StatusPageId = pageId,
            Title = input.Title!,
            Body = input.Body ?? "",
            StartsAt = w.Start,
            EndsAt = w.End,
            TimeZone = input.TimeZone!,
            AutoStartEnd = input.AutoStartEnd,
            Status = MaintenanceStatus.Scheduled,
            CreatedAt = time.GetUtcNow(),
            Components = components,
        };
        scope.Db.Maintenances.Add(maintenance);
        NoticeRecorder.Maintenance(scope.Db, maintenance, AlertEventType.MaintenanceScheduled, maintenance.CreatedAt);
        await scope.Db.SaveChangesAsync(cancellationToken);
        audit.Record("maintenance.scheduled", Describe(maintenance), $"{page.Name}: {StateText.UtcText(w.Start)} – {StateText.UtcText(w.End)}");
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(maintenance.Id);
    }

    public async Task<Outcome> EditAsync(int id, MaintenanceInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var maintenance = await Maintenances.Include(m => m.Components).FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (maintenance is null)
        {
            return Outcome.Missing;
        }

        var errors = new FieldErrors();
        var window = Validate(input, errors, isNew: false);
        var components = await ValidateComponentsAsync(maintenance.StatusPageId, input.CheckIds, errors, cancellationToken);
        if (!errors.IsEmpty || window is not { } w)
        {
            return Outcome.Invalid(errors);
        }

        maintenance.Title = input.Title!;
        maintenance.Body = input.Body ?? "";
        maintenance.StartsAt = w.Start;
        maintenance.EndsAt = w.End;
        maintenance.TimeZone = input.TimeZone!;
        maintenance.AutoStartEnd = input.AutoStartEnd;
        scope.Db.MaintenanceComponents.RemoveRange(maintenance.Components.Where(c => components.All(n => n.CheckId != c.CheckId)));
        maintenance.Components.AddRange(components.Where(n => maintenance.Components.All(c => c.CheckId != n.CheckId)));
        audit.Record("maintenance.edited", Describe(maintenance));
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(maintenance.Id);
    }

    /// <summary>A weekly rule from the form: the window above is its first occurrence's shape (start time of day, length).</summary>
    private async Task<Outcome> CreateRecurringAsync(StatusPage page, MaintenanceInput input, (DateTimeOffset Start, DateTimeOffset End) window, List<MaintenanceComponent> components, CancellationToken cancellationToken)
    {
        var local = DateTime.SpecifyKind(input.StartsAt!.Value, DateTimeKind.Unspecified);
        var rule = new RecurringMaintenance
        {
            TeamId = scope.TeamId,
            StatusPageId = page.Id,
            Title = input.Title!,
            Body = input.Body ?? "",
            TimeZone = input.TimeZone!,
            Days = RecurringMaintenanceSchedule.Of(input.RepeatDays),
            StartTime = TimeOnly.FromDateTime(local),
            DurationMinutes = (int)(window.End - window.Start).TotalMinutes,
            FirstDay = DateOnly.FromDateTime(local),
            LastDay = input.RepeatUntil,
            CheckIds = components.ConvertAll(c => c.CheckId),
            CreatedAt = time.GetUtcNow(),
        };
        scope.Db.RecurringMaintenances.Add(rule);
        await scope.Db.SaveChangesAsync(cancellationToken);

        // The coming occurrences at once, as the hourly pass would write them.
        await RecurringMaintenancePass.WriteAheadAsync(scope.Db, rule, time.GetUtcNow(), cancellationToken);
        var days = string.Join(", ", RecurringMaintenanceSchedule.DaysIn(rule.Days).Select(d => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(d)));
        audit.Record("maintenance.recurring", AuditLog.Describe("weekly maintenance", rule.Title, rule.Id),
            string.Create(CultureInfo.InvariantCulture, $"{page.Name}: {days} {rule.StartTime:HH:mm} {rule.TimeZone}, {rule.DurationMinutes} min{(rule.LastDay is { } last ? $", until {last:yyyy-MM-dd}" : "")}"));
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(rule.Id);
    }

    /// <summary>Stops a weekly rule: its occurrences still to come are deleted; past ones and one in progress stay.</summary>
    public async Task<Outcome> StopRepeatingAsync(int maintenanceId, CancellationToken cancellationToken)
    {
        var team = scope.TeamId;
        var window = await Maintenances.Where(m => m.Id == maintenanceId).Select(m => new { m.RecurringMaintenanceId }).FirstOrDefaultAsync(cancellationToken);
        if (window is null)
        {
            return Outcome.Missing;
        }

        var rule = await scope.Db.RecurringMaintenances.FirstOrDefaultAsync(r => r.Id == window.RecurringMaintenanceId && r.TeamId == team, cancellationToken);
        if (rule is null)
        {
            return Outcome.Ok(maintenanceId); // a one-off window (or one whose rule is stopped already): nothing repeats
        }

        var now = time.GetUtcNow();
        var coming = await scope.Db.Maintenances.Where(m => m.RecurringMaintenanceId == rule.Id && m.StartsAt > now && m.Status == MaintenanceStatus.Scheduled).ToListAsync(cancellationToken);
        scope.Db.Maintenances.RemoveRange(coming);
        scope.Db.RecurringMaintenances.Remove(rule);
        audit.Record("maintenance.recurring.stopped", AuditLog.Describe("weekly maintenance", rule.Title, rule.Id), $"{coming.Count} coming occurrences removed");
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(maintenanceId);
    }

    /// <summary>The weekly part of the form: days chosen, a window no longer than a week, an end day not before the start.</summary>
    private static void ValidateRepeat(MaintenanceInput input, (DateTimeOffset Start, DateTimeOffset End)? window, FieldErrors errors)
    {
        if (input.RepeatDays.Count == 0)
        {
            errors.Add(nameof(MaintenanceInput.RepeatDays), "Choose the days of the week it repeats on.");
        }

        if (window is { } w && w.End - w.Start > TimeSpan.FromMinutes(RecurringMaintenance.MaxDurationMinutes))
        {
            errors.Add(nameof(MaintenanceInput.EndsAt), "A weekly window lasts at most 7 days: end it within a week of its start.");
        }

        if (input.RepeatUntil is { } until && input.StartsAt is { } start && until < DateOnly.FromDateTime(start))
        {
            errors.Add(nameof(MaintenanceInput.RepeatUntil), "The last day comes before the first window: choose a later day, or none.");
        }
    }

    /// <summary>Starts the window now (its services show "Under maintenance" at once).</summary>
    public Task<Outcome> StartAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "maintenance.started", (m, now) =>
        {
            m.Status = MaintenanceStatus.InProgress;
            NoticeRecorder.Maintenance(scope.Db, m, AlertEventType.MaintenanceStarted, now);
            if (m.StartsAt > now)
            {
                m.StartsAt = now;
            }

            if (m.EndsAt <= now)
            {
                m.EndsAt = now.AddHours(1);
            }
        }, cancellationToken);

    /// <summary>Ends the window now.</summary>
    public Task<Outcome> CompleteAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "maintenance.completed", (m, now) =>
        {
            m.Status = MaintenanceStatus.Completed;
            NoticeRecorder.Maintenance(scope.Db, m, AlertEventType.MaintenanceEnded, now);
            if (m.EndsAt > now)
            {
                m.EndsAt = now;
            }

            if (m.StartsAt > now)
            {
                m.StartsAt = now;
            }
        }, cancellationToken);

    /// <summary>Cancels a window that has not started (it is deleted); one in progress is completed now instead.</summary>
    public async Task<Outcome> CancelAsync(int id, CancellationToken cancellationToken)
    {
        var maintenance = await Maintenances.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (maintenance is null)
        {
            return Outcome.Missing;
        }

        if (maintenance.StatusAt(time.GetUtcNow()) != MaintenanceStatus.Scheduled)
        {
            return await CompleteAsync(id, cancellationToken);
        }

        scope.Db.Maintenances.Remove(maintenance);
        audit.Record("maintenance.cancelled", Describe(maintenance));
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(maintenance.Id);
    }

    public static TimeZoneInfo? Zone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;

    /// <summary>Checks the form; returns the window in UTC when its times are valid.</summary>
    private (DateTimeOffset Start, DateTimeOffset End)? Validate(MaintenanceInput input, FieldErrors errors, bool isNew)
    {
        input.Title = input.Title?.Trim() ?? "";
        input.Body = input.Body?.Trim();
        input.TimeZone = input.TimeZone?.Trim();
        if (input.Title.Length == 0)
        {
            errors.Add(nameof(MaintenanceInput.Title), "Enter a title, e.g. “Database upgrade”.");
        }
        else if (input.Title.Length > Maintenance.TitleMaxLength)
        {
            errors.Add(nameof(MaintenanceInput.Title), $"Use at most {Maintenance.TitleMaxLength} characters.");
        }

        if (input.Body is { Length: > Maintenance.BodyMaxLength })
        {
            errors.Add(nameof(MaintenanceInput.Body), $"Use at most {Maintenance.BodyMaxLength:N0} characters.");
        }

        var zone = Zone(input.TimeZone);
        if (zone is null || input.TimeZone!.Length > Maintenance.TimeZoneMaxLength || !(zone.HasIanaId || input.TimeZone == "UTC"))
        {
            errors.Add(nameof(MaintenanceInput.TimeZone), "Choose a time zone from the list, e.g. Europe/Berlin.");
            zone = null;
        }
        else
        {
            input.TimeZone = zone.Id;
        }

        var start = Utc(input.StartsAt, zone, nameof(MaintenanceInput.StartsAt), "Enter when the work starts.", errors);
        var end = Utc(input.EndsAt, zone, nameof(MaintenanceInput.EndsAt), "Enter when the work ends.", errors);
        if (start is not { } s || end is not { } e)
        {
            return null;
        }

        if (e <= s)
        {
            errors.Add(nameof(MaintenanceInput.EndsAt), "The end must come after the start.");
        }
        else if (e - s > LongestWindow)
        {
            errors.Add(nameof(MaintenanceInput.EndsAt), $"A window lasts at most {LongestWindow.TotalDays:N0} days; schedule longer work as several windows.");
        }
        else if (isNew && e <= time.GetUtcNow())
        {
            errors.Add(nameof(MaintenanceInput.EndsAt), "This window is over already: choose an end in the future.");
        }

        return errors.IsEmpty ? (s, e) : null;
    }

    /// <summary>A local time in the zone as UTC; a time that the zone skips (clocks going forward) is a field message.</summary>
    private static DateTimeOffset? Utc(DateTime? local, TimeZoneInfo? zone, string field, string whenEmpty, FieldErrors errors)
    {
        if (local is not { } value)
        {
            errors.Add(field, whenEmpty);
            return null;
        }

        if (zone is null)
        {
            return null;
        }

        var unspecified = DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"{value:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (the clocks skip it). Choose another time."));
            return null;
        }

        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    private async Task<List<MaintenanceComponent>> ValidateComponentsAsync(int pageId, List<int>? checkIds, FieldErrors errors, CancellationToken cancellationToken)
    {
        var ids = (checkIds ?? []).Distinct().ToList();
        if (ids.Count == 0)
        {
            errors.Add(nameof(MaintenanceInput.CheckIds), "Choose the services under maintenance.");
            return [];
        }

        var shown = await scope.Pages.Where(p => p.Id == pageId).SelectMany(p => p.Checks).Where(pc => ids.Contains(pc.CheckId)).CountAsync(cancellationToken);
        if (shown != ids.Count)
        {
            errors.Add(nameof(MaintenanceInput.CheckIds), "Choose services shown on this status page.");
            return [];
        }

        return ids.ConvertAll(id => new MaintenanceComponent { CheckId = id });
    }

    private async Task<Outcome> ChangeAsync(int id, string action, Action<Maintenance, DateTimeOffset> apply, CancellationToken cancellationToken)
    {
        var maintenance = await Maintenances.Include(m => m.Components).FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (maintenance is null)
        {
            return Outcome.Missing;
        }

        apply(maintenance, time.GetUtcNow());
        audit.Record(action, Describe(maintenance));
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(maintenance.Id);
    }

    private async Task SaveAndEvictAsync(CancellationToken cancellationToken)
    {
        await scope.Db.SaveChangesAsync(cancellationToken);
        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
    }

    private static string Describe(Maintenance maintenance) => AuditLog.Describe("maintenance", maintenance.Title, maintenance.Id);
}
