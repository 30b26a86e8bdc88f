using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Alerts;
using Watchtower.Monitoring.Email;
using Watchtower.Monitoring.Incidents;

namespace Watchtower.Monitoring.Subscribers;

/// <summary>What a notice to a subscriber tells: the page, the incident or window, the entry's Markdown and the links.</summary>
public sealed record Notice(
    AlertEvent Event,
    string PageName,
    string PageSlug,
    string PageUrl,
    string? DetailUrl,
    string UnsubscribeUrl,
    string Title,
    string StatusText,
    string Markdown,
    Incident? Incident,
    Maintenance? Maintenance);

/// <summary>
/// Sends incident and maintenance notices to a status page's subscribers (the alert delivery job
/// calls it for deliveries with a subscriber): email with HTML and text bodies and one-click
/// unsubscribe per RFC 8058, or a Statuspage-shaped JSON webhook signed per Standard Webhooks.
/// </summary>
public sealed class SubscriberNotifier(
    IServiceScopeFactory scopes,
    IEmailSender email,
    AlertHttpClient http,
    ChannelSecrets secrets,
    SubscriberTokens tokens,
    IncidentMarkdown markdown,
    TimeProvider time)
{
    public async Task<SendOutcome> SendAsync(AlertDelivery delivery, string? baseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var subscriber = delivery.Subscriber;
        if (subscriber is null || subscriber.State != SubscriberState.Confirmed)
        {
            return new SendOutcome(SendResult.Permanent, "unsubscribed", "The subscription is gone or not confirmed.");
        }

        // The delivery job sends several at once on one DbContext: each notice reads through its own.
        Notice notice;
        await using (var scope = scopes.CreateAsyncScope())
        {
            notice = await NoticeOfAsync(scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>(), delivery.Event!, subscriber, baseUrl, cancellationToken);
        }

        return subscriber.Kind switch
        {
            SubscriberKind.Email => await SendEmailAsync(subscriber, notice, cancellationToken),
            _ => await SendWebhookAsync(subscriber, delivery, notice, cancellationToken),
        };
    }

    private async Task<Notice> NoticeOfAsync(WatchtowerDbContext db, AlertEvent alert, Subscriber subscriber, string? baseUrl, CancellationToken cancellationToken)
    {
        var page = subscriber.StatusPage ?? await db.StatusPages.AsNoTracking().FirstAsync(p => p.Id == subscriber.StatusPageId, cancellationToken);
        var root = (baseUrl ?? "").TrimEnd('/');
        var pageUrl = $"{root}/status/{page.Slug}";
        var body = alert.Message;
        Incident? incident = null;
        Maintenance? maintenance = null;
        if (alert.IncidentId is { } incidentId)
        {
            incident = await db.Incidents.AsNoTracking().Include(i => i.Updates).FirstOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        }

        if (alert.IncidentUpdateId is { } updateId && await db.IncidentUpdates.AsNoTracking().Where(u => u.Id == updateId).Select(u => u.Body).FirstOrDefaultAsync(cancellationToken) is { } full)
        {
            body = full;
        }

        if (alert.MaintenanceId is { } maintenanceId)
        {
            maintenance = await db.Maintenances.AsNoTracking().FirstOrDefaultAsync(m => m.Id == maintenanceId, cancellationToken);
            if (maintenance is not null)
            {
                body = maintenance.Body;
            }
        }

        var detail = incident is not null ? string.Create(CultureInfo.InvariantCulture, $"{pageUrl}/incidents/{incident.Id}") : null;
        var unsubscribe = $"{pageUrl}/unsubscribe?token={tokens.UnsubscribeToken(subscriber.Id)}";
        var status = alert.Type switch
        {
            AlertEventType.IncidentOpened => "New incident",
            AlertEventType.IncidentUpdated => incident is null ? "Update" : $"Update: {incident.Updates.Where(u => u.Id == alert.IncidentUpdateId).Select(u => u.Status.ToString()).FirstOrDefault() ?? incident.Status.ToString()}",
            AlertEventType.IncidentResolved => "Resolved",
            AlertEventType.MaintenanceScheduled => "Maintenance planned",
            AlertEventType.MaintenanceStarted => "Maintenance in progress",
            AlertEventType.MaintenanceEnded => "Maintenance completed",
            _ => "Notice",
        };
        return new Notice(alert, page.Name, page.Slug, pageUrl, detail, unsubscribe, alert.CheckName, status, body, incident, maintenance);
    }

    private async Task<SendOutcome> SendEmailAsync(Subscriber subscriber, Notice notice, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await email.SendAsync(Compose(subscriber.Email!, notice, markdown), cancellationToken);
            return new SendOutcome(SendResult.Sent, reply.StartsWith("file", StringComparison.Ordinal) ? "file" : "SMTP 250", SendOutcome.Cap(reply, AlertDelivery.ResultMaxLength));
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            return new SendOutcome(code >= 500 ? SendResult.Permanent : SendResult.Transient,
                string.Create(CultureInfo.InvariantCulture, $"SMTP {code}"), SendOutcome.Cap(ex.Message, AlertDelivery.ResultMaxLength));
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or System.Net.Sockets.SocketException or TimeoutException or ServiceNotConnectedException or ServiceNotAuthenticatedException or MailKit.Security.AuthenticationException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new SendOutcome(SendResult.Transient, "SMTP unreachable", SendOutcome.Cap(ex.Message, AlertDelivery.ResultMaxLength));
        }
        catch (MimeKit.ParseException ex)
        {
            return new SendOutcome(SendResult.Permanent, "bad address", SendOutcome.Cap(ex.Message, AlertDelivery.ResultMaxLength));
        }
    }

    /// <summary>The email: text and HTML (the Markdown rendered through the sanitiser), one-click unsubscribe headers (RFC 8058) and a link in the body.</summary>
    public static EmailMessage Compose(string to, Notice notice, IncidentMarkdown markdown)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(markdown);
        var at = notice.Event.At.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var window = notice.Maintenance is { } m
            ? string.Create(CultureInfo.InvariantCulture, $"Window: {m.StartsAt.UtcDateTime:yyyy-MM-dd HH:mm} – {m.EndsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC\n")
            : "";
        var link = notice.DetailUrl ?? notice.PageUrl;
        var text = $"{notice.PageName}: {notice.StatusText}\n\n{notice.Title}\n\n{notice.Markdown}\n\n{window}When: {at}\n\nMore: {link}\n\n"
                   + $"You get this because you subscribed to updates of {notice.PageName}.\nUnsubscribe: {notice.UnsubscribeUrl}\n";
        static string e(string value) => WebUtility.HtmlEncode(value);
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{e(notice.Title)}</title></head>
            <body style="font-family:system-ui,sans-serif;color:#1a1a1a;line-height:1.5">
            <p style="color:#555">{e(notice.PageName)}: {e(notice.StatusText)}</p>
            <h1 style="font-size:1.25rem">{e(notice.Title)}</h1>
            {markdown.Render(notice.Markdown)}
            <p style="color:#555">{(window.Length > 0 ? e(window.Trim()) + "<br>" : "")}When: {e(at)}</p>
            <p><a href="{e(link)}">{(notice.DetailUrl is null ? "Open the status page" : "Read the incident")}</a></p>
            <p style="color:#555;font-size:.875rem">You get this because you subscribed to updates of {e(notice.PageName)}. <a href="{e(notice.UnsubscribeUrl)}">Unsubscribe</a></p>
            </body></html>
            """;
        return new EmailMessage(to, $"[{notice.PageName}] {notice.StatusText}: {notice.Title}", text, html)
        {
            Headers = new Dictionary<string, string>
            {
                ["List-Unsubscribe"] = $"<{notice.UnsubscribeUrl}>",
                ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
                ["List-Id"] = $"{notice.PageName} <{notice.PageSlug}.status>",
            },
        };
    }

    private async Task<SendOutcome> SendWebhookAsync(Subscriber subscriber, AlertDelivery delivery, Notice notice, CancellationToken cancellationToken)
    {
        if (subscriber.Url is null || subscriber.ProtectedSecret is null || ChannelSecrets.KeyOf(secrets.Unprotect(subscriber.ProtectedSecret)) is not { } key)
        {
            return new SendOutcome(SendResult.Permanent, "misconfigured", "The subscription has no URL or signing secret.");
        }

        var body = WebhookBody(notice).ToJsonString(WebhookChannelSender.Json);
        var id = WebhookChannelSender.MessageId(delivery);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>
        {
            ["webhook-id"] = id,
            ["webhook-timestamp"] = timestamp,
            ["webhook-signature"] = WebhookChannelSender.Sign(key, id, timestamp, body),
        };
        return await http.PostAsync(subscriber.Url, body, headers, cancellationToken);
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Snake(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Statuspage's webhook shape: {"meta":{…},"page":{…},"incident":{…}}; a maintenance window is an incident with scheduled_for/until.</summary>
    public static JsonObject WebhookBody(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var alert = notice.Event;
        var meta = new JsonObject
        {
            ["unsubscribe"] = notice.UnsubscribeUrl,
            ["documentation"] = "https://github.com/watchtower/watchtower/blob/main/docs/notifications.md#subscribers",
            ["generated_at"] = Iso(alert.At),
            ["event_type"] = AlertMessage.TypeNameOf(alert.Type),
        };
        var page = new JsonObject
        {
            ["id"] = notice.PageSlug,
            ["name"] = notice.PageName,
            ["url"] = notice.PageUrl,
        };
        JsonObject incident;
        if (notice.Maintenance is { } m)
        {
            var status = alert.Type switch
            {
                AlertEventType.MaintenanceStarted => "in_progress",
                AlertEventType.MaintenanceEnded => "completed",
                _ => "scheduled",
            };
            incident = new JsonObject
            {
                ["id"] = m.Id.ToString(CultureInfo.InvariantCulture),
                ["name"] = m.Title,
                ["status"] = status,
                ["impact"] = "maintenance",
                ["created_at"] = Iso(m.CreatedAt),
                ["updated_at"] = Iso(alert.At),
                ["scheduled_for"] = Iso(m.StartsAt),
                ["scheduled_until"] = Iso(m.EndsAt),
                ["shortlink"] = notice.PageUrl,
                ["incident_updates"] = new JsonArray(new JsonObject
                {
                    ["status"] = status, ["body"] = notice.Markdown, ["created_at"] = Iso(alert.At),
                }),
            };
        }
        else
        {
            var i = notice.Incident;
            incident = new JsonObject
            {
                ["id"] = (alert.IncidentId ?? 0).ToString(CultureInfo.InvariantCulture),
                ["name"] = notice.Title,
                ["status"] = i is null ? (alert.Type == AlertEventType.IncidentResolved ? "resolved" : "investigating") : Snake(i.Status.ToString()),
                ["impact"] = i is null ? "none" : Snake(i.Impact.ToString()),
                ["created_at"] = i is null ? Iso(alert.At) : Iso(i.CreatedAt),
                ["updated_at"] = Iso(alert.At),
                ["resolved_at"] = i?.ResolvedAt is { } resolved ? Iso(resolved) : null,
                ["shortlink"] = notice.DetailUrl ?? notice.PageUrl,
                ["incident_updates"] = new JsonArray(new JsonObject
                {
                    ["id"] = (alert.IncidentUpdateId ?? 0).ToString(CultureInfo.InvariantCulture),
                    ["status"] = i?.Updates.FirstOrDefault(u => u.Id == alert.IncidentUpdateId) is { } u ? Snake(u.Status.ToString()) : null,
                    ["body"] = notice.Markdown,
                    ["created_at"] = Iso(alert.At),
                }),
            };
        }

        return new JsonObject { ["meta"] = meta, ["page"] = page, ["incident"] = incident };
    }
}
