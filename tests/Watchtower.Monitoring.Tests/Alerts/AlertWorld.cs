using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Alerts;

/// <summary>Rows the alert tests share: a channel wired to checks, and what the outbox holds.</summary>
internal static class AlertWorld
{
    /// <summary>An email channel (the embedded sender writes .eml files) attached to <paramref name="checkIds"/>.</summary>
    public static async Task<int> AddChannelAsync(WatchtowerApp app, int teamId, params int[] checkIds)
    {
        await using var scope = app.CreateScope(out var db);
        var channel = new NotificationChannel { TeamId = teamId, Name = "On call", Kind = ChannelKind.Email, Addresses = "oncall@example.com", CreatedAt = DateTimeOffset.UtcNow };
        db.NotificationChannels.Add(channel);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        foreach (var id in checkIds)
        {
            db.CheckChannels.Add(new CheckChannel { CheckId = id, ChannelId = channel.Id });
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return channel.Id;
    }
}
