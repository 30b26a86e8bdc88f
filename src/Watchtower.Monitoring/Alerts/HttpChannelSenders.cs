using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;
using Watchtower.Probes;
using Watchtower.Probes.Egress;

namespace Watchtower.Monitoring.Alerts;

/// <summary>
/// The one HTTP client for every outbound alert: each connection is resolved, checked and dialled by
/// the egress guard (a webhook to a private or metadata address is refused exactly as a check would
/// be), no proxy, no cookies, no redirects followed.
/// </summary>
public sealed class AlertHttpClient : IDisposable
{
    private readonly HttpClient client;

    public AlertHttpClient(EgressGuard guard, IOptions<AlertOptions> options)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(options);
        var timeout = options.Value.SendTimeout;
        client = new HttpClient(guard.CreateHttpHandler(timeout), disposeHandler: true) { Timeout = timeout };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Watchtower-Alerts", "1.0"));
    }

    /// <summary>Posts <paramref name="json"/> and classifies the answer; never throws for a failed send.</summary>
    public Task<SendOutcome> PostAsync(string url, string json, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken) =>
        PostAsync(url, json, "application/json", headers, null, cancellationToken);

    /// <summary>
    /// Posts <paramref name="content"/> and classifies the answer by its status (2xx sent; 408, 429,
    /// 5xx transient; else permanent), unless <paramref name="interpret"/> (given the status and the
    /// start of the body) says otherwise. Never throws for a failed send.
    /// </summary>
    public async Task<SendOutcome> PostAsync(string url, string content, string contentType, IReadOnlyDictionary<string, string>? headers,
        Func<int, string, SendOutcome?>? interpret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(content, Encoding.UTF8, contentType) };
        request.Version = HttpVersion.Version11;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var code = (int)response.StatusCode;
            var body = await ReadSomeAsync(response, interpret is null ? 200 : 2000, cancellationToken);
            if (interpret?.Invoke(code, body) is { } interpreted)
            {
                return interpreted with { Message = SendOutcome.Cap(interpreted.Message, AlertDelivery.ResultMaxLength) };
            }

            var shown = body.Length > 200 ? body[..200] : body;
            var said = $"{code} {response.ReasonPhrase}{(shown.Length > 0 ? ": " + shown : "")}";
            var result = code switch
            {
                >= 200 and < 300 => SendResult.Sent,
                408 or 429 or >= 500 => SendResult.Transient,
                _ => SendResult.Permanent, // other 4xx, and 3xx: redirects are not followed
            };
            return new SendOutcome(result, string.Create(CultureInfo.InvariantCulture, $"HTTP {code}"), SendOutcome.Cap(said, AlertDelivery.ResultMaxLength));
        }
        catch (HttpRequestException ex) when (ex.InnerException is EgressRefusedException { Reason: FailureReason.Blocked } refused)
        {
            return new SendOutcome(SendResult.Permanent, "refused", SendOutcome.Cap(refused.Message, AlertDelivery.ResultMaxLength));
        }
        catch (HttpRequestException ex)
        {
            var why = ex.InnerException is EgressRefusedException refused ? refused.Message : ex.Message;
            return new SendOutcome(SendResult.Transient, "unreachable", SendOutcome.Cap(why, AlertDelivery.ResultMaxLength));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(SendResult.Transient, "timeout", $"No answer within {client.Timeout.TotalSeconds:0} seconds.");
        }
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, int max, CancellationToken cancellationToken)
    {
        var buffer = new char[max];
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return new string(buffer, 0, read).Trim();
    }

    public void Dispose() => client.Dispose();
}

/// <summary>
/// A JSON webhook signed per the Standard Webhooks specification: headers <c>webhook-id</c> (the
/// delivery's stable id, the same on every retry), <c>webhook-timestamp</c> (Unix seconds of the
/// attempt) and <c>webhook-signature</c> = "v1," + base64(HMAC-SHA256(key, "id.timestamp.body")),
/// where the key is the base64 part of the channel's "whsec_" secret. Body: docs/notifications.md.
/// </summary>
public sealed class WebhookChannelSender(AlertHttpClient http, ChannelSecrets secrets, TimeProvider time) : IChannelSender
{
    public ChannelKind Kind => ChannelKind.Webhook;

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, AlertDelivery delivery, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(message);
        if (channel.Url is null || channel.ProtectedSecret is null || ChannelSecrets.KeyOf(secrets.Unprotect(channel.ProtectedSecret)) is not { } key)
        {
            return new SendOutcome(SendResult.Permanent, "misconfigured", "The channel has no URL or signing secret.");
        }

        var body = Body(message);
        var id = MessageId(delivery);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>
        {
            ["webhook-id"] = id,
            ["webhook-timestamp"] = timestamp,
            ["webhook-signature"] = Sign(key, id, timestamp, body),
        };
        return await http.PostAsync(channel.Url, body, headers, cancellationToken);
    }

    /// <summary>Stable per delivery: a receiver that saw it already can tell a retry by it.</summary>
    public static string MessageId(AlertDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.SubscriberId is { } subscriberId
            ? string.Create(CultureInfo.InvariantCulture, $"msg_{delivery.EventId}_s{subscriberId}")
            : string.Create(CultureInfo.InvariantCulture, $"msg_{delivery.EventId}_{delivery.ChannelId}");
    }

    public static string Sign(byte[] key, string id, string timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>The documented body: {"type", "timestamp", "data": {…}}.</summary>
    public static string Body(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var alert = message.Event;
        var data = new JsonObject
        {
            ["eventId"] = alert.Id,
            ["title"] = message.Title,
            ["message"] = message.Text,
            ["state"] = alert.State?.ToString().ToLowerInvariant(),
            ["previousState"] = alert.PreviousState?.ToString().ToLowerInvariant(),
            ["check"] = alert.CheckId is { } checkId
                ? new JsonObject { ["id"] = checkId, ["name"] = alert.CheckName, ["url"] = message.CheckUrl }
                : null,
        };
        if (alert.IsNotice)
        {
            // Incident and maintenance notices name what they are about instead of a check.
            data.Remove("state");
            data.Remove("previousState");
            data.Remove("check");
            data["statusPageId"] = alert.StatusPageId;
            data[alert.MaintenanceId is not null || alert.Type >= AlertEventType.MaintenanceScheduled ? "maintenance" : "incident"] = new JsonObject
            {
                ["id"] = alert.Type >= AlertEventType.MaintenanceScheduled ? alert.MaintenanceId : alert.IncidentId,
                ["title"] = alert.CheckName,
                ["url"] = message.CheckUrl,
            };
        }

        var root = new JsonObject
        {
            ["type"] = message.TypeName,
            ["timestamp"] = alert.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["data"] = data,
        };
        return root.ToJsonString(Json);
    }
}

/// <summary>A Slack incoming webhook (its URL is the secret): a Block Kit message with a header, the reason and a link.</summary>
public sealed class SlackChannelSender(AlertHttpClient http, ChannelSecrets secrets) : IChannelSender
{
    public ChannelKind Kind => ChannelKind.Slack;

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, AlertDelivery delivery, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.ProtectedSecret is null)
        {
            return new SendOutcome(SendResult.Permanent, "misconfigured", "The channel has no webhook URL.");
        }

        return await http.PostAsync(secrets.Unprotect(channel.ProtectedSecret), Body(message), null, cancellationToken);
    }

    /// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as control characters.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static string Body(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var at = message.Event.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var context = message.CheckUrl is { } url ? $"<{url}|Open the check> · {at}" : at;
        var root = new JsonObject
        {
            ["text"] = message.Title, // the notification's text, and the fallback where blocks do not show
            ["blocks"] = new JsonArray(
                new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = SendOutcome.Cap(message.Title, 150) } },
                new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Escape(message.Text) } },
                new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = context }) }),
        };
        return root.ToJsonString(WebhookChannelSender.Json);
    }
}

/// <summary>A Discord webhook (its URL is the secret): one embed, coloured by the event, mentions off.</summary>
public sealed class DiscordChannelSender(AlertHttpClient http, ChannelSecrets secrets) : IChannelSender
{
    public ChannelKind Kind => ChannelKind.Discord;

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, AlertDelivery delivery, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.ProtectedSecret is null)
        {
            return new SendOutcome(SendResult.Permanent, "misconfigured", "The channel has no webhook URL.");
        }

        return await http.PostAsync(secrets.Unprotect(channel.ProtectedSecret), Body(message), null, cancellationToken);
    }

    public static int ColorOf(AlertEventType type) => type switch
    {
        AlertEventType.CheckDown or AlertEventType.CheckStillDown => 0xD92D20,
        AlertEventType.CheckRecovered => 0x12B76A,
        AlertEventType.CertificateExpiring or AlertEventType.CheckFlapping or AlertEventType.IncidentOpened or AlertEventType.IncidentUpdated => 0xF79009,
        AlertEventType.IncidentResolved or AlertEventType.MaintenanceEnded => 0x12B76A,
        AlertEventType.MaintenanceScheduled or AlertEventType.MaintenanceStarted => 0x2E90FA,
        _ => 0x667085,
    };

    public static string Body(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var embed = new JsonObject
        {
            ["title"] = SendOutcome.Cap(message.Title, 256),
            ["description"] = SendOutcome.Cap(message.Text, 4096),
            ["color"] = ColorOf(message.Event.Type),
            ["timestamp"] = message.Event.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["footer"] = new JsonObject { ["text"] = "Watchtower" },
        };
        if (message.CheckUrl is { } url)
        {
            embed["url"] = url;
        }

        var root = new JsonObject
        {
            ["username"] = "Watchtower",
            ["embeds"] = new JsonArray(embed),
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        };
        return root.ToJsonString(WebhookChannelSender.Json);
    }
}
