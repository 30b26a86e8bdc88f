using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Data;

/// <summary>A database of the Alerts version comes out of the Subscribers migration with its channels, events and deliveries, and takes subscribers and notices.</summary>
public abstract class SubscribersMigrationTests
{
    protected abstract TestStore Store { get; }

    [Fact]
    public async Task Alert_deliveries_survive_and_subscribers_and_their_notices_can_be_stored_once_each()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await UpgradeDatabase.CreateAsync(Store, ct);
        await database.MigrateToAsync("_RecurringMaintenance", ct);
        var now = database.Timestamp(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var (yes, no) = Store == TestStore.Postgres ? ("TRUE", "FALSE") : ("1", "0");
        await database.ExecuteAsync($"""INSERT INTO teams ("Id", "Name", "CreatedAt", "RequireTwoFactor") VALUES (7, 'Ops', {"{0}"}, {no})""", ct, now);
        await database.ExecuteAsync($"""INSERT INTO status_pages ("Id", "TeamId", "Name", "Slug", "CreatedAt", "Visibility") VALUES (10, 7, 'Ops status', 'ops', {"{0}"}, 'Public')""", ct, now);
        await database.ExecuteAsync($"""INSERT INTO notification_channels ("Id", "TeamId", "Name", "Kind", "Addresses", "IsDefault", "CreatedAt", "ConsecutiveFailures") VALUES (5, 7, 'On call', 'Email', 'ops@example.com', {no}, {"{0}"}, 0)""", ct, now);
        await database.ExecuteAsync($"""INSERT INTO alert_events ("Id", "TeamId", "Type", "Key", "At", "CheckName", "Message", "Suppressed") VALUES (20, 7, 'Test', 'test:1', {"{0}"}, '', 'Test', {no})""", ct, now);
        await database.ExecuteAsync("""INSERT INTO alert_deliveries ("Id", "EventId", "ChannelId", "Status", "NextAttemptAt", "Attempts", "CreatedAt", "ResultCode") VALUES (30, 20, 5, 'Sent', {0}, 1, {0}, 'SMTP 250')""", ct, now);
        _ = yes;

        await database.MigrateToAsync(null, ct);

        await using var db = database.NewContext();
        var kept = await db.AlertDeliveries.AsNoTracking().SingleAsync(d => d.Id == 30, ct);
        Assert.Equal((20L, (int?)5, DeliveryStatus.Sent, "SMTP 250", (int?)null), (kept.EventId, kept.ChannelId, kept.Status, kept.ResultCode, kept.SubscriberId));

        var at = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var subscriber = new Subscriber { TeamId = 7, StatusPageId = 10, Kind = SubscriberKind.Email, Email = "reader@example.com", State = SubscriberState.Confirmed, CreatedAt = at };
        db.Subscribers.Add(subscriber);
        await db.SaveChangesAsync(ct);
        var notice = new AlertEvent { TeamId = 7, StatusPageId = 10, Type = AlertEventType.MaintenanceScheduled, Key = "maintenance:1:MaintenanceScheduled", At = at, CheckName = "Upgrade", Message = "Tonight" };
        notice.Deliveries.Add(new AlertDelivery { SubscriberId = subscriber.Id, NextAttemptAt = at, CreatedAt = at });
        notice.Deliveries.Add(new AlertDelivery { ChannelId = 5, NextAttemptAt = at, CreatedAt = at });
        db.AlertEvents.Add(notice);
        await db.SaveChangesAsync(ct);

        // One subscription per page and address; one delivery per notice and subscriber.
        await using (var again = database.NewContext())
        {
            again.Subscribers.Add(new Subscriber { TeamId = 7, StatusPageId = 10, Kind = SubscriberKind.Email, Email = "reader@example.com", CreatedAt = at });
            await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(ct));
        }

        await using (var again = database.NewContext())
        {
            again.AlertDeliveries.Add(new AlertDelivery { EventId = notice.Id, SubscriberId = subscriber.Id, NextAttemptAt = at, CreatedAt = at });
            await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(ct));
        }

        // Removing the subscriber drops its deliveries, not the owner's.
        await db.Subscribers.Where(s => s.Id == subscriber.Id).ExecuteDeleteAsync(ct);
        Assert.Equal(2, await db.AlertDeliveries.CountAsync(ct));
        Assert.All(await db.AlertDeliveries.AsNoTracking().ToListAsync(ct), d => Assert.Equal(5, d.ChannelId));
    }
}

public sealed class SubscribersMigrationTests_Sqlite : SubscribersMigrationTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class SubscribersMigrationTests_Postgres : SubscribersMigrationTests
{
    protected override TestStore Store => TestStore.Postgres;
}
