using Microsoft.Extensions.Options;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.State;
using Watchtower.Probes;
using Watchtower.Probes.Evaluation;
using Watchtower.Probes.Tls;

namespace Watchtower.Monitoring.Alerts;

/// <summary>
/// Writes the outbox: a check's confirmed down, its recovery and a certificate newly seen expiring become an
/// <see cref="AlertEvent"/> with one <see cref="AlertDelivery"/> per channel of the check, in the
/// same unit of work as the state change (saved, or dropped with a losing batch, together with it).
/// Applies flapping control (at most one down/up pair per window; the rest waits for a summary) and
/// the check's alert delay (a down is sent only after it; a recovery within it cancels both).
/// Idempotent: the event's key is deterministic, so the same change seen twice adds nothing.
/// </summary>
/// <remarks>Queries are synchronous because the recorder is; they run only on a transition, each a keyed lookup.</remarks>
public sealed class AlertRecorder(WatchtowerDbContext db, IOptions<AlertOptions> options) : IStateChangeHook
{
    /// <summary>A suppressed event that nothing needs to tell (a down and up within the alert delay).</summary>
    public const long NothingToTell = 0;

    public void OnStateChanged(Check check, CheckStateChange change)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(change);
        var type = TypeOf(check, change);
        if (type is not { } eventType)
        {
            return;
        }

        var key = KeyOf(check.Id, eventType, change.At);
        if (db.AlertEvents.Local.Any(e => e.Key == key) || db.AlertEvents.Any(e => e.Key == key))
        {
            return;
        }

        var alert = new AlertEvent
        {
            TeamId = check.TeamId,
            CheckId = check.Id,
            Type = eventType,
            Key = key,
            At = change.At,
            CheckName = check.Name,
            State = change.To,
            PreviousState = change.From,
            Message = CheckStateMachine.Truncate(change.Reason, AlertEvent.TextMaxLength),
        };
        db.AlertEvents.Add(alert);

        var due = change.At;
        if (eventType == AlertEventType.CheckDown)
        {
            alert.Suppressed = IsFlapping(check.Id, change.At);
            if (check.AlertDelayMinutes is > 0 and var delay)
            {
                due = change.At.AddMinutes(delay);
            }
        }
        else if (eventType == AlertEventType.CheckRecovered && LastDownOf(check.Id, change.At) is { } down)
        {
            // A recovery tells only of a down that was told (or is waiting to be told, flapping).
            alert.Suppressed = down.Suppressed;
            var waiting = db.AlertDeliveries.Where(d => d.EventId == down.Id && d.Status == DeliveryStatus.Pending && d.Attempts == 0 && d.LeaseId == null && d.NextAttemptAt > change.At).ToList();
            waiting.AddRange(db.AlertDeliveries.Local.Where(d => d.Event == down && d.Status == DeliveryStatus.Pending && d.Attempts == 0 && !waiting.Contains(d)));
            var anySent = down.Id != 0 && db.AlertDeliveries.Any(d => d.EventId == down.Id && d.Status == DeliveryStatus.Sent);
            if (waiting.Count > 0 && !anySent)
            {
                // Back up within the alert delay: nobody was told it went down, so nobody is told it came back.
                foreach (var delivery in waiting)
                {
                    delivery.Status = DeliveryStatus.Cancelled;
                    delivery.ResultMessage = "Not sent: the check was up again within its alert delay.";
                }

                down.Suppressed = true;
                down.SummaryId ??= NothingToTell;
                alert.Suppressed = true;
                alert.SummaryId = NothingToTell;
            }
        }

        if (!alert.Suppressed)
        {
            AddDeliveries(db, alert, ChannelsOf(db, check.Id), due);
        }
    }

    /// <summary>
    /// A certificate newly seen within its warning window: one event per check and certificate (by
    /// thumbprint, else by expiry), whatever the check's state and however many runs see it — the
    /// same certificate seen again after an outage or a restart adds nothing; a new one does.
    /// </summary>
    public void OnCertificateExpiring(Check check, CertificateFacts certificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(certificate);
        var key = CertificateKeyOf(check.Id, certificate);
        if (db.AlertEvents.Local.Any(e => e.Key == key) || db.AlertEvents.Any(e => e.Key == key))
        {
            return;
        }

        var subject = certificate.DnsNames.Count > 0 ? certificate.DnsNames[0] : certificate.Subject;
        var alert = new AlertEvent
        {
            TeamId = check.TeamId,
            CheckId = check.Id,
            Type = AlertEventType.CertificateExpiring,
            Key = key,
            At = at,
            CheckName = check.Name,
            State = check.State,
            PreviousState = check.State,
            Message = CheckStateMachine.Truncate($"The TLS certificate for {subject} {CertificateExpiry.Describe(certificate, at)}. Renew it before then.", AlertEvent.TextMaxLength),
        };
        db.AlertEvents.Add(alert);
        AddDeliveries(db, alert, ChannelsOf(db, check.Id), at);
    }

    /// <summary>"check:12:CertificateExpiring:AB12…": one event per check and certificate.</summary>
    public static string CertificateKeyOf(int checkId, CertificateFacts certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var id = certificate.Thumbprint.Length is > 0 and <= 64
            ? certificate.Thumbprint.ToUpperInvariant()
            : certificate.NotAfter.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"check:{checkId}:{AlertEventType.CertificateExpiring}:{id}");
    }

    /// <summary>"check:12:CheckDown:638…": one event per check, kind and moment.</summary>
    public static string KeyOf(int checkId, AlertEventType type, DateTimeOffset at) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"check:{checkId}:{type}:{at.UtcTicks}");

    public static AlertEventType? TypeOf(Check check, CheckStateChange change)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(change);
        return (change.From, change.To) switch
        {
            (not CheckState.Down, CheckState.Down) => AlertEventType.CheckDown,
            (CheckState.Down, CheckState.Up or CheckState.Degraded) => AlertEventType.CheckRecovered,
            _ => null,
        };
    }

    public static List<int> ChannelsOf(WatchtowerDbContext db, int checkId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.CheckChannels.Where(cc => cc.CheckId == checkId).Select(cc => cc.ChannelId).ToList();
    }

    /// <summary>One delivery per channel, due at <paramref name="due"/>.</summary>
    public static void AddDeliveries(WatchtowerDbContext db, AlertEvent alert, IEnumerable<int> channelIds, DateTimeOffset due)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(channelIds);
        foreach (var channelId in channelIds.Distinct())
        {
            var delivery = new AlertDelivery
            {
                Event = alert,
                ChannelId = channelId,
                CheckId = alert.CheckId,
                Status = DeliveryStatus.Pending,
                NextAttemptAt = due,
                CreatedAt = alert.At,
            };
            alert.Deliveries.Add(delivery);
            db.AlertDeliveries.Add(delivery);
        }
    }

    /// <summary>True when the check already had a told down and a told up within the flap window.</summary>
    private bool IsFlapping(int checkId, DateTimeOffset at)
    {
        var window = options.Value.FlapWindow;
        if (window <= TimeSpan.Zero)
        {
            return false;
        }

        var since = at - window;
        var told = db.AlertEvents
            .Where(e => e.CheckId == checkId && !e.Suppressed && e.At > since && (e.Type == AlertEventType.CheckDown || e.Type == AlertEventType.CheckRecovered))
            .Select(e => e.Type)
            .ToList();
        told.AddRange(db.AlertEvents.Local.Where(e => e.CheckId == checkId && !e.Suppressed && e.At > since && e.Id == 0
            && (e.Type == AlertEventType.CheckDown || e.Type == AlertEventType.CheckRecovered)).Select(e => e.Type));
        return told.Contains(AlertEventType.CheckDown) && told.Contains(AlertEventType.CheckRecovered);
    }

    private AlertEvent? LastDownOf(int checkId, DateTimeOffset before)
    {
        var local = db.AlertEvents.Local.Where(e => e.CheckId == checkId && e.Type == AlertEventType.CheckDown && e.At <= before)
            .OrderByDescending(e => e.At).FirstOrDefault();
        var saved = db.AlertEvents.Where(e => e.CheckId == checkId && e.Type == AlertEventType.CheckDown && e.At <= before)
            .OrderByDescending(e => e.Id).FirstOrDefault();
        return local is not null && (saved is null || local.At >= saved.At) ? local : saved;
    }
}
