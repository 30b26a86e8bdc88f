using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Alerts;

/// <summary>
/// A Microsoft Teams channel through a Workflows (Power Automate) webhook — its URL is the secret —
/// posting the "message with an Adaptive Card attachment" shape Teams expects. Body: docs/notifications.md.
/// </summary>
public sealed class TeamsChannelSender(AlertHttpClient http, ChannelSecrets secrets) : IChannelSender
{
    public ChannelKind Kind => ChannelKind.Teams;

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, AlertDelivery delivery, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.ProtectedSecret is null)
        {
            return new SendOutcome(SendResult.Permanent, "misconfigured", "The channel has no workflow URL.");
        }

        return await http.PostAsync(secrets.Unprotect(channel.ProtectedSecret), Body(message), null, cancellationToken);
    }

    /// <summary>Adaptive Card colours: attention (red) for down, good (green) for recovered, warning otherwise.</summary>
    public static string ColorOf(AlertEventType type) => type switch
    {
        AlertEventType.CheckDown or AlertEventType.CheckStillDown => "Attention",
        AlertEventType.CheckRecovered => "Good",
        AlertEventType.CertificateExpiring or AlertEventType.CheckFlapping => "Warning",
        _ => "Default",
    };

    public static string Body(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var alert = message.Event;
        var facts = new JsonArray { new JsonObject { ["title"] = "When", ["value"] = alert.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) } };
        if (alert.State is { } state)
        {
            facts.Add(new JsonObject { ["title"] = "State", ["value"] = AlertMessage.StateText(state) });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray(
                new JsonObject { ["type"] = "TextBlock", ["text"] = message.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["color"] = ColorOf(alert.Type), ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = message.Text, ["wrap"] = true },
                new JsonObject { ["type"] = "FactSet", ["facts"] = facts }),
        };
        if (message.CheckUrl is { } url)
        {
            card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open check", ["url"] = url });
        }

        var root = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        };
        return root.ToJsonString(WebhookChannelSender.Json);
    }
}

/// <summary>
/// A Telegram bot: <c>POST {TelegramApiBase}/bot{token}/sendMessage</c> with the chat id and an
/// HTML-formatted text. The token is in the URL, so no URL is ever logged or stored, and the token
/// is scrubbed from whatever an error says. Telegram's answer decides: ok → sent; 429 (with
/// <c>parameters.retry_after</c>, honoured) and 5xx → retried; 400/401/403/404 → not retried.
/// </summary>
public sealed class TelegramChannelSender(AlertHttpClient http, ChannelSecrets secrets, IOptions<AlertOptions> options) : IChannelSender
{
    public ChannelKind Kind => ChannelKind.Telegram;

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, AlertDelivery delivery, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.ProtectedSecret is null || string.IsNullOrEmpty(channel.Addresses))
        {
            return new SendOutcome(SendResult.Permanent, "misconfigured", "The channel has no bot token or chat id.");
        }

        var token = secrets.Unprotect(channel.ProtectedSecret);
        var url = $"{options.Value.TelegramApiBase.TrimEnd('/')}/bot{token}/sendMessage";
        var outcome = await http.PostAsync(url, Body(channel.Addresses, message), "application/json", null, Interpret, cancellationToken);
        return outcome with { Message = outcome.Message.Replace(token, "<token>", StringComparison.Ordinal) };
    }

    /// <summary>Reads Telegram's <c>{"ok":…,"error_code":…,"description":…,"parameters":{"retry_after":…}}</c>.</summary>
    public static SendOutcome? Interpret(int status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ok", out var ok))
            {
                return null;
            }

            if (ok.ValueKind == JsonValueKind.True && status is >= 200 and < 300)
            {
                var id = root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("message_id", out var m) ? $" (message {m.GetRawText()})" : "";
                return new SendOutcome(SendResult.Sent, string.Create(CultureInfo.InvariantCulture, $"HTTP {status}"), $"Telegram accepted the message{id}.");
            }

            var code = root.TryGetProperty("error_code", out var e) && e.TryGetInt32(out var c) ? c : status;
            var description = root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            TimeSpan? wait = root.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("retry_after", out var r) && r.TryGetInt32(out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
            var transient = code is 429 or 408 || code >= 500 || status >= 500;
            return new SendOutcome(transient ? SendResult.Transient : SendResult.Permanent,
                string.Create(CultureInfo.InvariantCulture, $"Telegram {code}"),
                description ?? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}"))
            { RetryAfter = wait };
        }
        catch (JsonException)
        {
            return null; // not Telegram's shape (a proxy's error page): classified by the status
        }
    }

    /// <summary>Telegram's HTML mode knows &amp;lt; &amp;gt; &amp;amp; &amp;quot; — everything else is sent as is.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    public static string Text(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var at = message.Event.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        // Telegram counts at most 4096 characters after reading the HTML: the parts are capped before escaping.
        var text = $"<b>{Escape(Cut(message.Title, 250))}</b>\n{Escape(Cut(message.Text, 3500))}\n{at}";
        if (message.CheckUrl is { } url)
        {
            text += $"\n<a href=\"{Escape(url)}\">Open the check</a>";
        }

        return text;
    }

    /// <summary>A numeric chat id is sent as a number, an "@channel" name as a string.</summary>
    public static string Body(string chatId, AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(chatId);
        JsonNode chat = long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(chatId);
        var root = new JsonObject
        {
            ["chat_id"] = chat,
            ["text"] = Text(message),
            ["parse_mode"] = "HTML",
            ["disable_web_page_preview"] = true,
        };
        return root.ToJsonString(WebhookChannelSender.Json);
    }
}

/// <summary>
/// An ntfy topic through ntfy's JSON publish form: <c>POST {server}/</c> with
/// <c>{"topic","title","message","priority","tags","click"}</c> (JSON, so titles need no header
/// encoding), and <c>Authorization: Bearer {token}</c> when the channel has an access token.
/// </summary>
public sealed class NtfyChannelSender(AlertHttpClient http, ChannelSecrets secrets) : IChannelSender
{
    public const string DefaultServer = "https://ntfy.sh";

    public ChannelKind Kind => ChannelKind.Ntfy;

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, AlertDelivery delivery, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (string.IsNullOrEmpty(channel.Addresses))
        {
            return new SendOutcome(SendResult.Permanent, "misconfigured", "The channel has no topic.");
        }

        Dictionary<string, string>? headers = null;
        string? token = null;
        if (channel.ProtectedSecret is not null)
        {
            token = secrets.Unprotect(channel.ProtectedSecret);
            headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
        }

        var server = (channel.Url ?? DefaultServer).TrimEnd('/') + "/";
        var outcome = await http.PostAsync(server, Body(channel.Addresses, message), "application/json", headers, null, cancellationToken);
        return token is null ? outcome : outcome with { Message = outcome.Message.Replace(token, "<token>", StringComparison.Ordinal) };
    }

    /// <summary>ntfy priorities: 5 (max) for down, 4 for reminders, certificates and flapping, 3 (default) for recovered and tests.</summary>
    public static int PriorityOf(AlertEventType type) => type switch
    {
        AlertEventType.CheckDown => 5,
        AlertEventType.CheckStillDown or AlertEventType.CertificateExpiring or AlertEventType.CheckFlapping => 4,
        _ => 3,
    };

    /// <summary>ntfy shows these tags as emoji.</summary>
    public static string TagOf(AlertEventType type) => type switch
    {
        AlertEventType.CheckDown or AlertEventType.CheckStillDown => "rotating_light",
        AlertEventType.CheckRecovered => "white_check_mark",
        AlertEventType.CertificateExpiring or AlertEventType.CheckFlapping => "warning",
        _ => "bell",
    };

    public static string Body(string topic, AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var root = new JsonObject
        {
            ["topic"] = topic,
            ["title"] = SendOutcome.Cap(message.Title, 250),
            ["message"] = SendOutcome.Cap(message.Text, 4000),
            ["priority"] = PriorityOf(message.Event.Type),
            ["tags"] = new JsonArray(TagOf(message.Event.Type)),
        };
        if (message.CheckUrl is { } url)
        {
            root["click"] = url;
        }

        return root.ToJsonString(WebhookChannelSender.Json);
    }
}

/// <summary>
/// PagerDuty Events API v2: <c>POST {PagerDutyApiBase}/v2/enqueue</c>. A check going down triggers an
/// alert with <c>dedup_key</c> "watchtower-check-{id}"; its recovery resolves the same key; a
/// still-down reminder triggers the same key again (PagerDuty adds it to the open alert, or opens
/// one if it was resolved by hand while the check is still down). 202 = delivered; 400 not retried;
/// 429 and 5xx retried.
/// </summary>
public sealed class PagerDutyChannelSender(AlertHttpClient http, ChannelSecrets secrets, IOptions<AlertOptions> options) : IChannelSender
{
    public ChannelKind Kind => ChannelKind.PagerDuty;

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, AlertDelivery delivery, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.ProtectedSecret is null)
        {
            return new SendOutcome(SendResult.Permanent, "misconfigured", "The channel has no routing key.");
        }

        var url = options.Value.PagerDutyApiBase.TrimEnd('/') + "/v2/enqueue";
        return await http.PostAsync(url, Body(secrets.Unprotect(channel.ProtectedSecret), message), null, cancellationToken);
    }

    /// <summary>The alert a check's events open and close: the same for down, still down and recovered.</summary>
    public static string DedupKey(AlertEvent alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.Type switch
        {
            _ when alert.CheckId is null => string.Create(CultureInfo.InvariantCulture, $"watchtower-test-{alert.Id}"),
            AlertEventType.CertificateExpiring => string.Create(CultureInfo.InvariantCulture, $"watchtower-check-{alert.CheckId}-certificate"),
            AlertEventType.CheckFlapping => string.Create(CultureInfo.InvariantCulture, $"watchtower-check-{alert.CheckId}-flapping"),
            _ => string.Create(CultureInfo.InvariantCulture, $"watchtower-check-{alert.CheckId}"),
        };
    }

    public static string SeverityOf(AlertEventType type) => type switch
    {
        AlertEventType.CheckDown or AlertEventType.CheckStillDown => "critical",
        AlertEventType.Test => "info",
        _ => "warning",
    };

    public static string Body(string routingKey, AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var alert = message.Event;
        if (alert.Type == AlertEventType.CheckRecovered)
        {
            // A resolve names the alert; PagerDuty needs (and reads) nothing more.
            return new JsonObject { ["routing_key"] = routingKey, ["event_action"] = "resolve", ["dedup_key"] = DedupKey(alert) }.ToJsonString(WebhookChannelSender.Json);
        }

        var details = new JsonObject
        {
            ["event"] = message.TypeName,
            ["message"] = message.Text,
            ["state"] = alert.State?.ToString().ToLowerInvariant(),
            ["previous_state"] = alert.PreviousState?.ToString().ToLowerInvariant(),
        };
        if (alert.CheckId is { } checkId)
        {
            details["check_id"] = checkId;
        }

        var payload = new JsonObject
        {
            ["summary"] = SendOutcome.Cap(alert.CheckId is null ? message.Title : $"{message.Title}: {message.Text}", 1024),
            ["source"] = alert.CheckId is null ? "Watchtower" : alert.CheckName,
            ["severity"] = SeverityOf(alert.Type),
            ["timestamp"] = alert.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["component"] = alert.CheckId is null ? "Watchtower" : alert.CheckName,
            ["custom_details"] = details,
        };
        var root = new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = "trigger",
            ["dedup_key"] = DedupKey(alert),
            ["payload"] = payload,
        };
        if (message.CheckUrl is { } url)
        {
            root["links"] = new JsonArray(new JsonObject { ["href"] = url, ["text"] = "Open check" });
        }

        return root.ToJsonString(WebhookChannelSender.Json);
    }
}
