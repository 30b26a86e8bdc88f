using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Data;

/// <summary>
/// A database of the version before weekly maintenance comes out of the RecurringMaintenance migration
/// with its windows as they were (one-off), and takes rules whose occurrences are unique per local day
/// and outlive their rule.
/// </summary>
public abstract class RecurringMaintenanceMigrationTests
{
    protected abstract TestStore Store { get; }

    [Fact]
    public async Task Existing_windows_survive_as_one_off_and_occurrences_are_unique_per_rule_and_day()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await UpgradeDatabase.CreateAsync(Store, ct);
        await database.MigrateToAsync("_Alerts", ct);
        var now = database.Timestamp(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var later = database.Timestamp(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        var end = database.Timestamp(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));
        var (yes, no) = Store == TestStore.Postgres ? ("TRUE", "FALSE") : ("1", "0");
        await database.ExecuteAsync($"""INSERT INTO teams ("Id", "Name", "CreatedAt", "RequireTwoFactor") VALUES (7, 'Ops', {"{0}"}, {no})""", ct, now);
        var tcp = """{"Host":"db.example.com","Port":5432,"Service":"Postgres","StartTls":false,"ImplicitTls":false,"CertificateName":null,"Send":null,"SendFormat":"Text","Expect":null,"ExpectMode":"Contains","ReadTimeoutSeconds":5,"CertificateWarningDays":14}""";
        await database.ExecuteAsync($$"""
            INSERT INTO checks ("Id", "TeamId", "Name", "Kind", "tcp", "IntervalSeconds", "TimeoutSeconds", "Enabled", "ShowTargetOnStatusPage", "Location",
                "FailureThreshold", "RecoveryThreshold", "CreatedAt", "NextRunAt", "State", "LastReason", "ConsecutiveFailures", "ConsecutiveSuccesses"{{(Store == TestStore.Sqlite ? ", \"Version\"" : "")}})
            VALUES (3, 7, 'Database', 'Tcp', '{{tcp.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)}}', 60, 10, {{yes}}, {{no}}, 'default',
                2, 1, {0}, {0}, 'Up', 'None', 0, 0{{(Store == TestStore.Sqlite ? ", 0" : "")}})
            """, ct, now);
        await database.ExecuteAsync("""INSERT INTO status_pages ("Id", "TeamId", "Name", "Slug", "CreatedAt") VALUES (10, 7, 'Ops status', 'ops', {0})""", ct, now);
        await database.ExecuteAsync("""INSERT INTO status_page_checks ("StatusPageId", "CheckId", "SortOrder") VALUES (10, 3, 1)""", ct);
        await database.ExecuteAsync($"""
            INSERT INTO maintenances ("Id", "TeamId", "StatusPageId", "Title", "Body", "StartsAt", "EndsAt", "TimeZone", "AutoStartEnd", "Status", "CreatedAt")
            VALUES (5, 7, 10, 'Database upgrade', 'Short *blips*.', {"{0}"}, {"{1}"}, 'Europe/Berlin', {yes}, 'Scheduled', {"{2}"})
            """, ct, later, end, now);
        await database.ExecuteAsync("""INSERT INTO maintenance_components ("MaintenanceId", "CheckId") VALUES (5, 3)""", ct);

        await database.MigrateToAsync(null, ct);

        await using var db = database.NewContext();
        var old = await db.Maintenances.AsNoTracking().Include(m => m.Components).SingleAsync(m => m.Id == 5, ct);
        Assert.Equal(("Database upgrade", "Short *blips*.", new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero), 3, (int?)null, (DateOnly?)null),
            (old.Title, old.Body, old.StartsAt, Assert.Single(old.Components).CheckId, old.RecurringMaintenanceId, old.OccurrenceOn));

        var at = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
        var rule = new RecurringMaintenance
        {
            TeamId = 7, StatusPageId = 10, Title = "Nightly backup", TimeZone = "Europe/Berlin", Days = WeekDays.Monday | WeekDays.Thursday,
            StartTime = new TimeOnly(2, 30), DurationMinutes = 45, FirstDay = new DateOnly(2026, 12, 3), CheckIds = [3], CreatedAt = at,
        };
        db.RecurringMaintenances.Add(rule);
        await db.SaveChangesAsync(ct);
        Maintenance Occurrence(DateOnly day) => new()
        {
            TeamId = 7, StatusPageId = 10, Title = rule.Title, TimeZone = rule.TimeZone, StartsAt = at, EndsAt = at.AddMinutes(45), CreatedAt = at,
            RecurringMaintenanceId = rule.Id, OccurrenceOn = day, Components = [new MaintenanceComponent { CheckId = 3 }],
        };
        db.Maintenances.Add(Occurrence(new DateOnly(2026, 12, 3)));
        await db.SaveChangesAsync(ct);

        await using (var again = database.NewContext())
        {
            again.Maintenances.Add(Occurrence(new DateOnly(2026, 12, 3)));
            await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(ct));
        }

        await using (var reread = database.NewContext())
        {
            var stored = await reread.RecurringMaintenances.AsNoTracking().SingleAsync(ct);
            Assert.Equal((WeekDays.Monday | WeekDays.Thursday, new TimeOnly(2, 30), 45), (stored.Days, stored.StartTime, stored.DurationMinutes));
            Assert.Equal([3], stored.CheckIds);
        }

        // Stopping a rule keeps its occurrences (history), no longer tied to it.
        await db.RecurringMaintenances.Where(r => r.Id == rule.Id).ExecuteDeleteAsync(ct);
        Assert.Equal([(int?)null, null], await db.Maintenances.AsNoTracking().OrderBy(m => m.Id).Select(m => m.RecurringMaintenanceId).ToListAsync(ct));
    }
}

public sealed class RecurringMaintenanceMigrationTests_Sqlite : RecurringMaintenanceMigrationTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class RecurringMaintenanceMigrationTests_Postgres : RecurringMaintenanceMigrationTests
{
    protected override TestStore Store => TestStore.Postgres;
}
