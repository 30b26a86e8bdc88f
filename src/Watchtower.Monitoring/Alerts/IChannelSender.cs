using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Alerts;

/// <summary>Sends one message through one kind of channel. Never throws for a failed send: the outcome says how it failed.</summary>
public interface IChannelSender
{
    ChannelKind Kind { get; }

    Task<SendOutcome> SendAsync(NotificationChannel channel, AlertDelivery delivery, AlertMessage message, CancellationToken cancellationToken);
}
