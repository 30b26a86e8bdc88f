using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Alerts;
using Watchtower.Probes;
using Watchtower.Probes.Egress;
using Watchtower.Web.Checks;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Alerts;

/// <summary>What saving a channel came to: done (with the secret to show once, if a new one was made), not found, or field errors.</summary>
public sealed record ChannelOutcome(NotificationChannel? Channel, FieldErrors Errors, string? SecretToShow, bool NotFound = false)
{
    public bool Done => Channel is not null && Errors.IsEmpty;
}

/// <summary>
/// The one way a team's alert channels change: validated (addresses, URLs through the egress guard's
/// judgement, secrets), scoped to the current team (another team's channel is not found), secrets
/// encrypted before they are stored and returned only once. Also sends a test and reads the log.
/// </summary>
public sealed partial class ChannelService(TeamScope scope, EgressGuard guard, ChannelSecrets secrets, AlertDeliveryJob deliverer, AuditLog audit, TimeProvider time)
{
    public const int MaxAddresses = 20;
    public const int ChannelsPerTeam = 50;

    public IQueryable<NotificationChannel> Channels
    {
        get
        {
            var team = scope.TeamId;
            return scope.Db.NotificationChannels.Where(c => c.TeamId == team);
        }
    }

    public Task<NotificationChannel?> FindAsync(int id, CancellationToken cancellationToken) =>
        Channels.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);

    public async Task<ChannelOutcome> CreateAsync(ChannelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new FieldErrors();
        if (!Enum.IsDefined(input.Kind))
        {
            errors.Add(nameof(ChannelInput.Kind), "Choose a kind of channel.");
            return new ChannelOutcome(null, errors, null);
        }

        var channel = new NotificationChannel { TeamId = scope.TeamId, Name = "", Kind = input.Kind, CreatedAt = time.GetUtcNow() };
        var secret = await ApplyAsync(channel, input, errors, creating: true, cancellationToken);
        if (await Channels.CountAsync(cancellationToken) >= ChannelsPerTeam)
        {
            errors.Add("", $"This team has {ChannelsPerTeam} channels, the most allowed. Delete one first.");
        }

        if (!errors.IsEmpty)
        {
            return new ChannelOutcome(null, errors, null);
        }

        scope.Db.NotificationChannels.Add(channel);
        await scope.Db.SaveChangesAsync(cancellationToken);
        audit.Record("channel.created", AuditLog.Describe("alert channel", channel.Name, channel.Id), channel.Kind.ToString());
        await scope.Db.SaveChangesAsync(cancellationToken);
        return new ChannelOutcome(channel, errors, secret);
    }

    public async Task<ChannelOutcome> UpdateAsync(int id, ChannelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var channel = await FindAsync(id, cancellationToken);
        if (channel is null)
        {
            return new ChannelOutcome(null, new FieldErrors(), null, NotFound: true);
        }

        input.Kind = channel.Kind; // fixed once made
        var errors = new FieldErrors();
        var secret = await ApplyAsync(channel, input, errors, creating: false, cancellationToken);
        if (!errors.IsEmpty)
        {
            scope.Db.ChangeTracker.Clear(); // nothing of a refused form is kept
            return new ChannelOutcome(null, errors, null);
        }

        audit.Record("channel.updated", AuditLog.Describe("alert channel", channel.Name, channel.Id), secret is null ? null : "new signing secret");
        await scope.Db.SaveChangesAsync(cancellationToken);
        return new ChannelOutcome(channel, errors, secret);
    }

    public async Task<bool> DeleteAsync(int id, CancellationToken cancellationToken)
    {
        var channel = await FindAsync(id, cancellationToken);
        if (channel is null)
        {
            return false;
        }

        scope.Db.NotificationChannels.Remove(channel);
        audit.Record("channel.deleted", AuditLog.Describe("alert channel", channel.Name, channel.Id));
        await scope.Db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Sends a test message now, through the same outbox, lease and job as a real alert, and returns
    /// the delivery as it ended (sent, failed, or waiting for a retry). Null when not found.
    /// </summary>
    public async Task<AlertDelivery?> SendTestAsync(int id, CancellationToken cancellationToken)
    {
        var channel = await FindAsync(id, cancellationToken);
        if (channel is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var lease = Guid.NewGuid();
        var alert = new AlertEvent
        {
            TeamId = channel.TeamId, Type = AlertEventType.Test, At = now, CheckName = "",
            Key = $"test:{channel.Id}:{Guid.NewGuid():N}",
            Message = "This is a test message from Watchtower. When a check goes down or recovers, a message like this one tells you.",
        };
        var delivery = new AlertDelivery
        {
            Event = alert, ChannelId = channel.Id, Status = DeliveryStatus.Pending, CreatedAt = now,
            LeaseId = lease, NextAttemptAt = now + TimeSpan.FromMinutes(2), // claimed by this request
        };
        scope.Db.AlertEvents.Add(alert);
        scope.Db.AlertDeliveries.Add(delivery);
        audit.Record("channel.tested", AuditLog.Describe("alert channel", channel.Name, channel.Id));
        await scope.Db.SaveChangesAsync(cancellationToken);
        scope.Db.ChangeTracker.Clear();
        await deliverer.RunAsync(lease, cancellationToken);
        return await scope.Db.AlertDeliveries.AsNoTracking().FirstAsync(d => d.Id == delivery.Id, cancellationToken);
    }

    /// <summary>A page of the log, newest first: of one channel, or of one check.</summary>
    public async Task<IReadOnlyList<LogRow>> LogAsync(int? channelId, int? checkId, int take, CancellationToken cancellationToken)
    {
        var team = scope.TeamId;
        var query = scope.Db.AlertDeliveries.AsNoTracking().Where(d => d.Channel!.TeamId == team);
        if (channelId is { } channel)
        {
            query = query.Where(d => d.ChannelId == channel);
        }

        if (checkId is { } check)
        {
            query = query.Where(d => d.CheckId == check);
        }

        return await query.OrderByDescending(d => d.Id).Take(take)
            .Select(d => new LogRow(d.Id, d.CreatedAt, d.Event!.Type, d.Event.CheckName, d.Event.CheckId, d.Channel!.Name, d.ChannelId ?? 0, d.Status, d.Attempts, d.LastAttemptAt, d.ResultCode, d.ResultMessage, d.NextAttemptAt))
            .ToListAsync(cancellationToken);
    }

    public sealed record LogRow(long Id, DateTimeOffset At, AlertEventType Type, string CheckName, int? CheckId, string ChannelName, int ChannelId,
        DeliveryStatus Status, int Attempts, DateTimeOffset? LastAttemptAt, string? Code, string? Message, DateTimeOffset NextAttemptAt);

    /// <summary>Validates the form onto the channel; returns a new webhook secret to show once, if one was made.</summary>
    private async Task<string?> ApplyAsync(NotificationChannel channel, ChannelInput input, FieldErrors errors, bool creating, CancellationToken cancellationToken)
    {
        input.Name = input.Name?.Trim() ?? "";
        if (input.Name.Length == 0)
        {
            errors.Add(nameof(ChannelInput.Name), "Enter a name, e.g. “On-call email” or “Ops webhook”.");
        }
        else if (input.Name.Length > NotificationChannel.NameMaxLength)
        {
            errors.Add(nameof(ChannelInput.Name), $"Use at most {NotificationChannel.NameMaxLength} characters.");
        }

        channel.Name = input.Name;
        channel.IsDefault = input.IsDefault;
        string? shown = null;
        switch (channel.Kind)
        {
            case ChannelKind.Email:
                channel.Addresses = Addresses(input.Addresses, errors);
                break;
            case ChannelKind.Webhook:
                if (await UrlAsync(input.Url, errors, cancellationToken) is { } url)
                {
                    channel.Url = url;
                }

                var own = input.Secret?.Trim();
                if (!string.IsNullOrEmpty(own))
                {
                    if (ChannelSecrets.KeyOf(own) is null)
                    {
                        errors.Add(nameof(ChannelInput.Secret), $"A signing secret is “{ChannelSecrets.WebhookSecretPrefix}” followed by base64 of {ChannelSecrets.MinimumSecretBytes} to {ChannelSecrets.MaximumSecretBytes} random bytes (Standard Webhooks); leave it empty to have one made.");
                    }
                    else
                    {
                        channel.ProtectedSecret = secrets.Protect(own);
                    }
                }
                else if (creating || input.NewSecret || channel.ProtectedSecret is null)
                {
                    shown = ChannelSecrets.NewWebhookSecret();
                    channel.ProtectedSecret = secrets.Protect(shown);
                }

                break;
            case ChannelKind.Telegram:
                TelegramToken(channel, input.Token, creating, errors);
                channel.Addresses = ChatId(input.ChatId, errors);
                break;
            case ChannelKind.Ntfy:
                await NtfyAsync(channel, input, errors, cancellationToken);
                break;
            case ChannelKind.PagerDuty:
                RoutingKey(channel, input.Token, creating, errors);
                break;
            default: // Slack, Discord, Teams: the URL is the credential
                var hook = input.Url?.Trim();
                if (string.IsNullOrEmpty(hook) && !creating && channel.ProtectedSecret is not null)
                {
                    break; // kept
                }

                if (await UrlAsync(hook, errors, cancellationToken) is { } chat)
                {
                    channel.ProtectedSecret = secrets.Protect(chat);
                    channel.UrlHint = new Uri(chat).Host;
                }

                break;
        }

        return errors.IsEmpty ? shown : null;
    }

    /// <summary>"123456789:AA…" as @BotFather gives it: the bot's id, a colon, 30+ letters, digits, '_' or '-'.</summary>
    [GeneratedRegex(@"^(\d{1,20}):[A-Za-z0-9_-]{30,100}$")]
    private static partial Regex TelegramTokenPattern();

    /// <summary>A chat's number (groups and channels are negative), or a public channel's @name.</summary>
    [GeneratedRegex(@"^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$")]
    private static partial Regex ChatIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex TopicPattern();

    /// <summary>ntfy access tokens: "tk_" and 29 letters or digits (some versions differ in length).</summary>
    [GeneratedRegex(@"^tk_[A-Za-z0-9]{20,64}$")]
    private static partial Regex NtfyTokenPattern();

    /// <summary>An Events API v2 integration (routing) key: 32 letters and digits.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9]{32}$")]
    private static partial Regex RoutingKeyPattern();

    private void TelegramToken(NotificationChannel channel, string? input, bool creating, FieldErrors errors)
    {
        var token = input?.Trim() ?? "";
        if (token.Length == 0 && !creating && channel.ProtectedSecret is not null)
        {
            return; // kept
        }

        if (TelegramTokenPattern().Match(token) is not { Success: true } match)
        {
            errors.Add(nameof(ChannelInput.Token), token.Length == 0
                ? "Enter the bot token @BotFather gave you (e.g. 123456789:AAF1k…)."
                : "That is not a bot token: it looks like 123456789:AAF1k… (the bot’s number, a colon, then 30 or more letters, digits, _ or -).");
            return;
        }

        channel.ProtectedSecret = secrets.Protect(token);
        channel.UrlHint = "bot " + match.Groups[1].Value;
    }

    private static string? ChatId(string? input, FieldErrors errors)
    {
        var chat = input?.Trim() ?? "";
        if (ChatIdPattern().IsMatch(chat) && (chat.StartsWith('@') || long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            return chat;
        }

        errors.Add(nameof(ChannelInput.ChatId), chat.Length == 0
            ? "Enter the chat id: a number such as -1001234567890, or a public channel such as @ops_alerts."
            : "A chat id is a whole number (groups and channels start with -100…) or a public channel’s @name of 5 to 32 letters, digits or _.");
        return null;
    }

    private async Task NtfyAsync(NotificationChannel channel, ChannelInput input, FieldErrors errors, CancellationToken cancellationToken)
    {
        var server = string.IsNullOrWhiteSpace(input.Url) ? NtfyChannelSender.DefaultServer : input.Url.Trim();
        if (await UrlAsync(server, errors, cancellationToken) is { } url)
        {
            var uri = new Uri(url);
            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            {
                errors.Add(nameof(ChannelInput.Url), "Enter the server only, e.g. https://ntfy.sh, without ? or #.");
            }
            else
            {
                channel.Url = url.TrimEnd('/');
            }
        }

        var topic = input.Topic?.Trim() ?? "";
        if (TopicPattern().IsMatch(topic))
        {
            channel.Addresses = topic;
        }
        else
        {
            errors.Add(nameof(ChannelInput.Topic), topic.Length == 0
                ? "Enter the topic to publish to, e.g. acme-ops-alerts."
                : "A topic is 1 to 64 letters, digits, _ or - (no spaces, slashes or dots).");
        }

        var token = input.Token?.Trim() ?? "";
        if (input.RemoveToken)
        {
            channel.ProtectedSecret = null;
        }
        else if (token.Length > 0)
        {
            if (NtfyTokenPattern().IsMatch(token))
            {
                channel.ProtectedSecret = secrets.Protect(token);
            }
            else
            {
                errors.Add(nameof(ChannelInput.Token), "An ntfy access token looks like tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2 (“tk_” and letters or digits); leave it empty for a public topic.");
            }
        }
    }

    private void RoutingKey(NotificationChannel channel, string? input, bool creating, FieldErrors errors)
    {
        var key = input?.Trim() ?? "";
        if (key.Length == 0 && !creating && channel.ProtectedSecret is not null)
        {
            return; // kept
        }

        if (!RoutingKeyPattern().IsMatch(key))
        {
            errors.Add(nameof(ChannelInput.Token), key.Length == 0
                ? "Enter the integration’s routing key (Integration Key) from the PagerDuty service’s Events API v2 integration."
                : string.Create(CultureInfo.InvariantCulture, $"A routing key is 32 letters and digits; this one has {key.Length} characters{(key.All(char.IsAsciiLetterOrDigit) ? "" : ", some of them not letters or digits")}."));
            return;
        }

        channel.ProtectedSecret = secrets.Protect(key);
        channel.UrlHint = null;
    }

    private static string? Addresses(string? text, FieldErrors errors)
    {
        var list = EmailChannelSender.AddressesOf(text).ToList();
        if (list.Count == 0)
        {
            errors.Add(nameof(ChannelInput.Addresses), "Enter at least one email address, one per line.");
            return null;
        }

        if (list.Count > MaxAddresses)
        {
            errors.Add(nameof(ChannelInput.Addresses), $"Enter at most {MaxAddresses} addresses.");
            return null;
        }

        var bad = list.Where(a => !IsAddress(a)).ToList();
        if (bad.Count > 0)
        {
            errors.Add(nameof(ChannelInput.Addresses), $"Not an email address: {string.Join(", ", bad.Take(5))}. Write each as name@example.com.");
            return null;
        }

        var joined = string.Join("\n", list.Distinct(StringComparer.OrdinalIgnoreCase));
        if (joined.Length > NotificationChannel.AddressesMaxLength)
        {
            errors.Add(nameof(ChannelInput.Addresses), "That list is too long.");
            return null;
        }

        return joined;
    }

    /// <summary>A bare address (no display name, no list), with a dot-free local part allowed and a domain with a dot or "localhost".</summary>
    private static bool IsAddress(string text) =>
        text.Length <= 254 && !text.Any(char.IsWhiteSpace) && MailboxAddress.TryParse(ParserOptions.Default, text, out var box)
        && string.Equals(box.Address, text, StringComparison.Ordinal) && box.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
        && at < box.Address.Length - 1 && !box.Address.EndsWith('.');

    /// <summary>An http(s) URL whose host the egress guard allows now (it is checked again on every send).</summary>
    private async Task<string?> UrlAsync(string? input, FieldErrors errors, CancellationToken cancellationToken)
    {
        const string field = nameof(ChannelInput.Url);
        var text = input?.Trim() ?? "";
        if (text.Length == 0)
        {
            errors.Add(field, "Enter the URL to post to, e.g. https://hooks.example.com/watchtower.");
            return null;
        }

        if (text.Length > NotificationChannel.UrlMaxLength)
        {
            errors.Add(field, $"Use a URL of at most {NotificationChannel.UrlMaxLength} characters.");
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(field, "Enter an http:// or https:// URL.");
            return null;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add(field, "Do not put a user name or password in the URL.");
            return null;
        }

        if (!HostInput.TryNormalize(uri.Host, out var host, out var hostError))
        {
            errors.Add(field, hostError);
            return null;
        }

        var resolution = await guard.ResolveAsync(host.Trim('[', ']'), cancellationToken);
        if (resolution.Reason == FailureReason.Blocked)
        {
            errors.Add(field, $"Watchtower may not send there: {resolution.Message}");
            return null;
        }

        return uri.ToString();
    }

    public static string StatusText(DeliveryStatus status, int attempts) => status switch
    {
        DeliveryStatus.Sent => "Sent",
        DeliveryStatus.Failed => "Failed",
        DeliveryStatus.Cancelled => "Not sent",
        _ when attempts > 0 => "Retrying",
        _ => "Waiting",
    };

    public static string TypeText(AlertEventType type) => type switch
    {
        AlertEventType.CheckDown => "Down",
        AlertEventType.CheckRecovered => "Recovered",
        AlertEventType.CheckStillDown => "Still down",
        AlertEventType.CertificateExpiring => "Certificate expiring",
        AlertEventType.CheckFlapping => "Flapping summary",
        AlertEventType.IncidentOpened => "Incident opened",
        AlertEventType.IncidentUpdated => "Incident update",
        AlertEventType.IncidentResolved => "Incident resolved",
        AlertEventType.MaintenanceScheduled => "Maintenance planned",
        AlertEventType.MaintenanceStarted => "Maintenance started",
        AlertEventType.MaintenanceEnded => "Maintenance completed",
        _ => "Test",
    };

    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
