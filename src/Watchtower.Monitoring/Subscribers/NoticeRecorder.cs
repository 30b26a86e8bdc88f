using System.Globalization;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Alerts;
using Watchtower.Monitoring.State;

namespace Watchtower.Monitoring.Subscribers;

/// <summary>
/// Writes incident and maintenance notices into the alert outbox, in the unit of work of the change
/// that causes them (the caller saves): one <see cref="AlertEvent"/>, one delivery per owner channel
/// that alerts for a service of the page (or of the services concerned), and one per confirmed
/// subscriber who chose a service concerned (everyone for a page-wide notice). Keys are
/// deterministic and the timeline entry (incidents) or the window and kind (maintenance) is unique,
/// so a change recorded twice is one event and nobody is told twice.
/// </summary>
public static class NoticeRecorder
{
    /// <summary>The event of an incident's timeline entry (<paramref name="update"/>: opened, updated, resolved). Null when it was written already.</summary>
    public static AlertEvent? Incident(WatchtowerDbContext db, Incident incident, IncidentUpdate update, AlertEventType type)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(update);
        var checks = incident.Components.Select(c => c.CheckId).ToList();
        var key = incident.Id != 0
            ? string.Create(CultureInfo.InvariantCulture, $"incident:{incident.Id}:{type}:{update.At.UtcTicks}")
            : string.Create(CultureInfo.InvariantCulture, $"incident:page:{incident.StatusPageId}:check:{incident.CheckId}:{type}:{update.At.UtcTicks}");
        if (Exists(db, key) || (update.Id != 0 && db.AlertEvents.Any(e => e.IncidentUpdateId == update.Id)))
        {
            return null;
        }

        var notice = new AlertEvent
        {
            TeamId = incident.TeamId,
            Type = type,
            Key = key,
            At = update.At,
            CheckName = CheckStateMachine.Truncate(incident.Title, Check.NameMaxLength),
            Message = CheckStateMachine.Truncate(update.Body, AlertEvent.TextMaxLength),
            StatusPageId = incident.StatusPageId,
        };
        if (incident.Id != 0)
        {
            notice.IncidentId = incident.Id;
        }
        else
        {
            notice.Incident = incident; // saved with it: the id is filled in by the same SaveChanges
        }

        if (update.Id != 0)
        {
            notice.IncidentUpdateId = update.Id;
        }
        else
        {
            notice.IncidentUpdate = update; // saved with it: the id is filled in by the same SaveChanges
        }

        Add(db, notice, checks, toSubscribers: !incident.Hidden);
        return notice;
    }

    /// <summary>The event of a window planned, started or ended. Null when it was written already.</summary>
    public static AlertEvent? Maintenance(WatchtowerDbContext db, Maintenance maintenance, AlertEventType type, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(maintenance);
        var key = maintenance.Id != 0
            ? string.Create(CultureInfo.InvariantCulture, $"maintenance:{maintenance.Id}:{type}")
            : string.Create(CultureInfo.InvariantCulture, $"maintenance:page:{maintenance.StatusPageId}:{type}:{maintenance.CreatedAt.UtcTicks}");
        if (Exists(db, key) || (maintenance.Id != 0 && db.AlertEvents.Any(e => e.MaintenanceId == maintenance.Id && e.Type == type)))
        {
            return null;
        }

        var window = string.Create(CultureInfo.InvariantCulture, $"{maintenance.StartsAt.UtcDateTime:yyyy-MM-dd HH:mm} – {maintenance.EndsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        var notice = new AlertEvent
        {
            TeamId = maintenance.TeamId,
            Type = type,
            Key = key,
            At = at,
            CheckName = CheckStateMachine.Truncate(maintenance.Title, Check.NameMaxLength),
            Message = CheckStateMachine.Truncate(string.IsNullOrWhiteSpace(maintenance.Body) ? window : $"{window}. {maintenance.Body}", AlertEvent.TextMaxLength),
            StatusPageId = maintenance.StatusPageId,
        };
        if (maintenance.Id != 0)
        {
            notice.MaintenanceId = maintenance.Id;
        }
        else
        {
            notice.Maintenance = maintenance;
        }

        Add(db, notice, maintenance.Components.Select(c => c.CheckId).ToList(), toSubscribers: true);
        return notice;
    }

    private static bool Exists(WatchtowerDbContext db, string key) =>
        db.AlertEvents.Local.Any(e => e.Key == key) || db.AlertEvents.Any(e => e.Key == key);

    private static void Add(WatchtowerDbContext db, AlertEvent notice, List<int> checks, bool toSubscribers)
    {
        db.AlertEvents.Add(notice);
        var pageId = notice.StatusPageId!.Value;
        var teamId = notice.TeamId;
        // Owner channels: those alerting for a service concerned; for a page-wide notice, for any service of the page.
        var concerned = checks.Count > 0 ? checks : db.StatusPageChecks.Where(pc => pc.StatusPageId == pageId).Select(pc => pc.CheckId).ToList();
        var channels = db.CheckChannels.Where(cc => concerned.Contains(cc.CheckId) && cc.Channel!.TeamId == teamId).Select(cc => cc.ChannelId).Distinct().ToList();
        AlertRecorder.AddDeliveries(db, notice, channels, notice.At);
        if (!toSubscribers)
        {
            return;
        }

        var subscribers = db.Subscribers.Where(s => s.StatusPageId == pageId && s.State == SubscriberState.Confirmed);
        if (checks.Count > 0)
        {
            subscribers = subscribers.Where(s => s.AllComponents || s.Components.Any(c => checks.Contains(c.CheckId)));
        }

        foreach (var subscriberId in subscribers.Select(s => s.Id).ToList())
        {
            var delivery = new AlertDelivery
            {
                Event = notice,
                SubscriberId = subscriberId,
                Status = DeliveryStatus.Pending,
                NextAttemptAt = notice.At,
                CreatedAt = notice.At,
            };
            notice.Deliveries.Add(delivery);
            db.AlertDeliveries.Add(delivery);
        }
    }
}
