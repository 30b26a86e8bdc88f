using System.Globalization;
using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Alerts;

/// <summary>What every channel says about an event, in words: a title, the reason, a link to the check.</summary>
public sealed record AlertMessage(AlertEvent Event, string Title, string Text, string? CheckUrl, string TypeName)
{
    public static AlertMessage For(AlertEvent alert, string? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var name = alert.CheckName;
        var title = alert.Type switch
        {
            AlertEventType.CheckDown => $"{name} is down",
            AlertEventType.CheckRecovered => $"{name} is up again",
            AlertEventType.CheckStillDown => $"{name} is still down",
            AlertEventType.CertificateExpiring => $"{name}: the certificate expires soon",
            AlertEventType.CheckFlapping => $"{name} is flapping",
            AlertEventType.IncidentOpened => $"Incident: {name}",
            AlertEventType.IncidentUpdated => $"Incident update: {name}",
            AlertEventType.IncidentResolved => $"Resolved: {name}",
            AlertEventType.MaintenanceScheduled => $"Maintenance planned: {name}",
            AlertEventType.MaintenanceStarted => $"Maintenance started: {name}",
            AlertEventType.MaintenanceEnded => $"Maintenance completed: {name}",
            _ => "Test message from Watchtower",
        };
        var root = string.IsNullOrWhiteSpace(baseUrl) ? null : baseUrl.TrimEnd('/');
        var url = root is null ? null
            : alert.CheckId is { } id ? string.Create(CultureInfo.InvariantCulture, $"{root}/Checks/{id}")
            : alert.IncidentId is { } incidentId ? string.Create(CultureInfo.InvariantCulture, $"{root}/Incidents/{incidentId}")
            : alert.MaintenanceId is { } maintenanceId ? string.Create(CultureInfo.InvariantCulture, $"{root}/Maintenance/{maintenanceId}")
            : null;
        return new AlertMessage(alert, title, alert.Message, url, TypeNameOf(alert.Type));
    }

    /// <summary>The event's type as the webhook JSON names it.</summary>
    public static string TypeNameOf(AlertEventType type) => type switch
    {
        AlertEventType.CheckDown => "check.down",
        AlertEventType.CheckRecovered => "check.recovered",
        AlertEventType.CheckStillDown => "check.still_down",
        AlertEventType.CertificateExpiring => "check.certificate_expiring",
        AlertEventType.CheckFlapping => "check.flapping",
        AlertEventType.IncidentOpened => "incident.opened",
        AlertEventType.IncidentUpdated => "incident.updated",
        AlertEventType.IncidentResolved => "incident.resolved",
        AlertEventType.MaintenanceScheduled => "maintenance.scheduled",
        AlertEventType.MaintenanceStarted => "maintenance.started",
        AlertEventType.MaintenanceEnded => "maintenance.ended",
        _ => "test",
    };

    /// <summary>"2 h 5 min".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)span.TotalMinutes)} min");
    }

    /// <summary>"Down", "Up": the state as shown.</summary>
    public static string StateText(CheckState? state) => state?.ToString() ?? "";
}
