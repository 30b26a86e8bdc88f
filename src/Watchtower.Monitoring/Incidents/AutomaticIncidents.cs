using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.State;
using Watchtower.Monitoring.Subscribers;

namespace Watchtower.Monitoring.Incidents;

/// <summary>
/// Opens and resolves incidents from checks' state changes. A confirmed down of a check shown on a
/// page opens one incident per page and outage (title from the check's public sentence, affecting
/// that check); its recovery resolves it. A check in a maintenance window that is in progress opens
/// none. Idempotent: an outage that already has an open automatic incident on a page (saved, or
/// added earlier in this unit of work) gets no second one.
/// </summary>
/// <remarks>
/// Queries are synchronous because the recorder is; they run only on a transition (rare), and each
/// is a keyed lookup. Everything it adds carries the check's id, so a batch that drops the check's
/// result (a lost concurrency race) drops these rows too.
/// </remarks>
public sealed class AutomaticIncidents(WatchtowerDbContext db) : IStateChangeHook
{
    public const string RecoveredText = "This service is operating normally again.";

    public void OnStateChanged(Check check, CheckStateChange change)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(change);
        switch (change.To)
        {
            case CheckState.Down:
                Open(check, change.At);
                break;
            case CheckState.Up or CheckState.Degraded:
                Resolve(check, change.At);
                break;
        }
    }

    /// <summary>Whether a window covering the check is in progress at <paramref name="at"/>: by the clock when automatic, else as its owner set it.</summary>
    public static IQueryable<MaintenanceComponent> ActiveMaintenance(WatchtowerDbContext db, DateTimeOffset at) =>
        db.MaintenanceComponents.Where(mc =>
            mc.Maintenance!.AutoStartEnd
                ? mc.Maintenance.Status != MaintenanceStatus.Completed && mc.Maintenance.StartsAt <= at && at < mc.Maintenance.EndsAt
                : mc.Maintenance.Status == MaintenanceStatus.InProgress);

    private void Open(Check check, DateTimeOffset at)
    {
        var checkId = check.Id;
        if (ActiveMaintenance(db, at).Any(mc => mc.CheckId == checkId))
        {
            return;
        }

        var pages = db.StatusPageChecks.Where(pc => pc.CheckId == checkId).Select(pc => pc.StatusPageId).ToList();
        if (pages.Count == 0)
        {
            return;
        }

        var covered = db.Incidents
            .Where(i => i.Automatic && i.ResolvedAt == null && i.MergedIntoId == null && i.Components.Any(c => c.CheckId == checkId))
            .Select(i => i.StatusPageId)
            .ToHashSet();
        covered.UnionWith(db.Incidents.Local
            .Where(i => i.Automatic && i.ResolvedAt is null && i.Components.Any(c => c.CheckId == checkId))
            .Select(i => i.StatusPageId));

        var sentence = string.IsNullOrWhiteSpace(check.LastPublicMessage) ? "The check failed" : check.LastPublicMessage;
        var title = CheckStateMachine.Truncate($"{check.Name} is down: {sentence}", Incident.TitleMaxLength);
        foreach (var pageId in pages.Where(p => !covered.Contains(p)))
        {
            var incident = new Incident
            {
                TeamId = check.TeamId,
                StatusPageId = pageId,
                Title = title,
                Status = IncidentStatus.Investigating,
                Impact = IncidentImpact.Major,
                CreatedAt = at,
                Automatic = true,
                CheckId = checkId,
                Updates = [new IncidentUpdate { Status = IncidentStatus.Investigating, Body = $"{sentence}. We are looking into it.", At = at }],
                Components = [new IncidentComponent { CheckId = checkId, Status = ComponentStatus.MajorOutage }],
            };
            db.Incidents.Add(incident);
            NoticeRecorder.Incident(db, incident, incident.Updates[0], AlertEventType.IncidentOpened);
        }
    }

    private void Resolve(Check check, DateTimeOffset at)
    {
        var checkId = check.Id;
        var open = db.Incidents
            .Include(i => i.Components)
            .Where(i => i.Automatic && i.ResolvedAt == null && i.MergedIntoId == null && i.Components.Any(c => c.CheckId == checkId))
            .ToList();
        open.AddRange(db.Incidents.Local.Where(i => i.Automatic && i.ResolvedAt is null && i.Components.Any(c => c.CheckId == checkId) && !open.Contains(i)));
        foreach (var incident in open)
        {
            foreach (var component in incident.Components.Where(c => c.CheckId == checkId))
            {
                component.Status = ComponentStatus.Operational;
            }

            // A merged incident covers several checks: it is over when none of them is still down.
            var others = incident.Components.Where(c => c.CheckId != checkId).Select(c => c.CheckId).ToList();
            if (others.Count > 0 && db.Checks.Any(c => others.Contains(c.Id) && c.State == CheckState.Down))
            {
                continue;
            }

            incident.Status = IncidentStatus.Resolved;
            incident.ResolvedAt = at;
            var update = new IncidentUpdate { IncidentId = incident.Id, Status = IncidentStatus.Resolved, Body = RecoveredText, At = at };
            incident.Updates.Add(update);
            NoticeRecorder.Incident(db, incident, update, AlertEventType.IncidentResolved);
        }
    }
}
