using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Data;

/// <summary>A database of the version before alerts comes out of the Alerts migration with everything it had, and takes channels, events and deliveries.</summary>
public abstract class AlertsMigrationTests
{
    protected abstract TestStore Store { get; }

    [Fact]
    public async Task Checks_and_incidents_survive_and_alerts_can_be_stored_with_their_idempotency_keys()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await UpgradeDatabase.CreateAsync(Store, ct);
        await database.MigrateToAsync("_StatusPageBranding", ct);
        var now = database.Timestamp(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var (yes, no) = Store == TestStore.Postgres ? ("TRUE", "FALSE") : ("1", "0");
        await database.ExecuteAsync($"""INSERT INTO teams ("Id", "Name", "CreatedAt", "RequireTwoFactor") VALUES (7, 'Ops', {"{0}"}, {no})""", ct, now);
        var tcp = """{"Host":"db.example.com","Port":5432,"Service":"Postgres","StartTls":false,"ImplicitTls":false,"CertificateName":null,"Send":null,"SendFormat":"Text","Expect":null,"ExpectMode":"Contains","ReadTimeoutSeconds":5,"CertificateWarningDays":14}""";
        await database.ExecuteAsync($$"""
            INSERT INTO checks ("Id", "TeamId", "Name", "Kind", "tcp", "IntervalSeconds", "TimeoutSeconds", "Enabled", "ShowTargetOnStatusPage", "Location",
                "FailureThreshold", "RecoveryThreshold", "CreatedAt", "NextRunAt", "State", "LastReason", "ConsecutiveFailures", "ConsecutiveSuccesses"{{(Store == TestStore.Sqlite ? ", \"Version\"" : "")}})
            VALUES (3, 7, 'Database', 'Tcp', '{{tcp.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)}}', 60, 10, {{yes}}, {{no}}, 'default',
                2, 1, {0}, {0}, 'Down', 'Refused', 2, 0{{(Store == TestStore.Sqlite ? ", 0" : "")}})
            """, ct, now);
        await database.ExecuteAsync("""INSERT INTO status_pages ("Id", "TeamId", "Name", "Slug", "CreatedAt") VALUES (10, 7, 'Ops status', 'ops', {0})""", ct, now);
        await database.ExecuteAsync($"""INSERT INTO incidents ("Id", "TeamId", "StatusPageId", "Title", "Status", "Impact", "CreatedAt", "Automatic", "Hidden", "CheckId") VALUES (4, 7, 10, 'Database down', 'Investigating', 'Major', {"{0}"}, {yes}, {no}, 3)""", ct, now);

        await database.MigrateToAsync(null, ct);

        await using var db = database.NewContext();
        var check = await db.Checks.AsNoTracking().SingleAsync(c => c.Id == 3, ct);
        Assert.Equal((CheckState.Down, 7, (int?)null), (check.State, check.TeamId, check.AlertDelayMinutes));
        Assert.Equal("Database down", (await db.Incidents.AsNoTracking().SingleAsync(i => i.Id == 4, ct)).Title);

        var at = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var channel = new NotificationChannel { TeamId = 7, Name = "Ops", Kind = ChannelKind.Email, Addresses = "ops@example.com", CreatedAt = at };
        db.NotificationChannels.Add(channel);
        await db.SaveChangesAsync(ct);
        db.CheckChannels.Add(new CheckChannel { CheckId = 3, ChannelId = channel.Id });
        var alert = new AlertEvent { TeamId = 7, CheckId = 3, Type = AlertEventType.CheckDown, Key = "check:3:CheckDown:1", At = at, CheckName = "Database", Message = "Refused" };
        alert.Deliveries.Add(new AlertDelivery { ChannelId = channel.Id, CheckId = 3, NextAttemptAt = at, CreatedAt = at });
        db.AlertEvents.Add(alert);
        await db.SaveChangesAsync(ct);

        // The keys hold: a second event of the same key, a second delivery of the same event and channel, are refused.
        await using (var again = database.NewContext())
        {
            again.AlertEvents.Add(new AlertEvent { TeamId = 7, CheckId = 3, Type = AlertEventType.CheckDown, Key = "check:3:CheckDown:1", At = at, CheckName = "Database", Message = "Refused" });
            await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(ct));
        }

        await using (var again = database.NewContext())
        {
            again.AlertDeliveries.Add(new AlertDelivery { EventId = alert.Id, ChannelId = channel.Id, NextAttemptAt = at, CreatedAt = at });
            await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(ct));
        }

        // Deleting the check keeps the log (the check is forgotten); deleting the channel drops its deliveries.
        await db.Checks.Where(c => c.Id == 3).ExecuteDeleteAsync(ct);
        var kept = await db.AlertDeliveries.AsNoTracking().SingleAsync(ct);
        Assert.Null(kept.CheckId);
        Assert.Empty(await db.CheckChannels.ToListAsync(ct));
        await db.NotificationChannels.Where(c => c.Id == channel.Id).ExecuteDeleteAsync(ct);
        Assert.Empty(await db.AlertDeliveries.ToListAsync(ct));
    }
}

public sealed class AlertsMigrationTests_Sqlite : AlertsMigrationTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class AlertsMigrationTests_Postgres : AlertsMigrationTests
{
    protected override TestStore Store => TestStore.Postgres;
}
