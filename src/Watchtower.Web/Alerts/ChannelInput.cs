using Watchtower.Data.Entities;

namespace Watchtower.Web.Alerts;

/// <summary>A channel as the form sends it. Secrets are write-only: empty on edit keeps the stored one.</summary>
public sealed class ChannelInput
{
    public string Name { get; set; } = "";

    /// <summary>Chosen when the channel is made; fixed after.</summary>
    public ChannelKind Kind { get; set; } = ChannelKind.Email;

    /// <summary>Email: addresses, one per line (commas also separate).</summary>
    public string? Addresses { get; set; }

    /// <summary>
    /// Webhook: the URL. Slack, Discord, Teams: the incoming webhook/workflow URL (a secret; empty on
    /// edit keeps it). ntfy: the server (empty means https://ntfy.sh).
    /// </summary>
    public string? Url { get; set; }

    /// <summary>Webhook: an own signing secret ("whsec_" + base64 of 24–64 bytes); empty generates one (or, on edit, keeps it).</summary>
    public string? Secret { get; set; }

    /// <summary>Webhook, on edit: make a new signing secret (shown once).</summary>
    public bool NewSecret { get; set; }

    /// <summary>Telegram: the chat id, a number ("-1001234567890") or a public channel ("@ops_alerts").</summary>
    public string? ChatId { get; set; }

    /// <summary>ntfy: the topic.</summary>
    public string? Topic { get; set; }

    /// <summary>
    /// The kind's secret, write-only (empty on edit keeps the stored one): Telegram's bot token, ntfy's
    /// access token (optional), PagerDuty's routing key.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>ntfy, on edit: forget the stored access token.</summary>
    public bool RemoveToken { get; set; }

    /// <summary>Ticked for new checks.</summary>
    public bool IsDefault { get; set; }

    public static ChannelInput From(NotificationChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ChannelInput
        {
            Name = channel.Name,
            Kind = channel.Kind,
            Addresses = channel.Kind == ChannelKind.Email ? channel.Addresses : null,
            Url = channel.Kind is ChannelKind.Webhook or ChannelKind.Ntfy ? channel.Url : null,
            ChatId = channel.Kind == ChannelKind.Telegram ? channel.Addresses : null,
            Topic = channel.Kind == ChannelKind.Ntfy ? channel.Addresses : null,
            IsDefault = channel.IsDefault,
        };
    }

    public static string KindText(ChannelKind kind) => kind switch
    {
        ChannelKind.Email => "Email",
        ChannelKind.Webhook => "Webhook (signed JSON)",
        ChannelKind.Slack => "Slack",
        ChannelKind.Discord => "Discord",
        ChannelKind.Teams => "Microsoft Teams",
        ChannelKind.Telegram => "Telegram",
        ChannelKind.Ntfy => "ntfy",
        ChannelKind.PagerDuty => "PagerDuty",
        _ => kind.ToString(),
    };

    /// <summary>Where the channel sends, as the owner may see it (never a secret).</summary>
    public static string TargetText(NotificationChannel channel, bool brief = false)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var stored = brief ? "" : channel.Kind switch
        {
            ChannelKind.Email or ChannelKind.Webhook => "",
            ChannelKind.Telegram => " (bot token stored encrypted)",
            ChannelKind.Ntfy => channel.ProtectedSecret is null ? " (no access token)" : " (access token stored encrypted)",
            ChannelKind.PagerDuty => " (routing key stored encrypted)",
            _ => " (URL stored encrypted)",
        };
        return channel.Kind switch
        {
            ChannelKind.Email => (channel.Addresses ?? "").Replace("\n", ", ", StringComparison.Ordinal),
            ChannelKind.Webhook => channel.Url ?? "",
            ChannelKind.Telegram => $"Chat {channel.Addresses} via {channel.UrlHint}",
            ChannelKind.Ntfy => $"{channel.Url?.TrimEnd('/')}/{channel.Addresses}",
            ChannelKind.PagerDuty => "Events API v2",
            _ => channel.UrlHint ?? "",
        } + stored;
    }
}
