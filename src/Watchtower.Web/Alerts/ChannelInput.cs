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

    /// <summary>Webhook: the URL. Slack, Discord: the incoming webhook URL (a secret; empty on edit keeps it).</summary>
    public string? Url { get; set; }

    /// <summary>Webhook: an own signing secret ("whsec_" + base64 of 24–64 bytes); empty generates one (or, on edit, keeps it).</summary>
    public string? Secret { get; set; }

    /// <summary>Webhook, on edit: make a new signing secret (shown once).</summary>
    public bool NewSecret { get; set; }

    /// <summary>Ticked for new checks.</summary>
    public bool IsDefault { get; set; }

    public static ChannelInput From(NotificationChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ChannelInput
        {
            Name = channel.Name,
            Kind = channel.Kind,
            Addresses = channel.Addresses,
            Url = channel.Kind == ChannelKind.Webhook ? channel.Url : null,
            IsDefault = channel.IsDefault,
        };
    }

    public static string KindText(ChannelKind kind) => kind switch
    {
        ChannelKind.Email => "Email",
        ChannelKind.Webhook => "Webhook (signed JSON)",
        ChannelKind.Slack => "Slack",
        ChannelKind.Discord => "Discord",
        _ => kind.ToString(),
    };
}
