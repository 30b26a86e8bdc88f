using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Data;

/// <summary>A database of the version before incidents comes out of the Incidents migration with everything it had, and takes incidents and maintenance.</summary>
public abstract class IncidentsMigrationTests
{
    protected abstract TestStore Store { get; }

    [Fact]
    public async Task Teams_pages_and_checks_survive_and_incidents_can_be_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await UpgradeDatabase.CreateAsync(Store, ct);
        await database.MigrateToAsync("_Teams", ct);
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
        await database.ExecuteAsync("""INSERT INTO status_page_checks ("StatusPageId", "CheckId", "SortOrder") VALUES (10, 3, 1)""", ct);

        await database.MigrateToAsync(null, ct);

        await using var db = database.NewContext();
        var page = await db.StatusPages.AsNoTracking().Include(p => p.Checks).SingleAsync(p => p.Id == 10, ct);
        Assert.Equal((7, "ops", 3), (page.TeamId, page.Slug, Assert.Single(page.Checks).CheckId));
        Assert.Equal(CheckState.Down, (await db.Checks.AsNoTracking().SingleAsync(c => c.Id == 3, ct)).State);

        var at = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        db.Incidents.Add(new Incident
        {
            TeamId = 7, StatusPageId = 10, Title = "Database down", CreatedAt = at, Automatic = true, CheckId = 3,
            Updates = [new IncidentUpdate { Body = "Looking", At = at }], Components = [new IncidentComponent { CheckId = 3, Status = ComponentStatus.MajorOutage }],
        });
        db.Maintenances.Add(new Maintenance { TeamId = 7, StatusPageId = 10, Title = "Upgrade", TimeZone = "Europe/Berlin", StartsAt = at, EndsAt = at.AddHours(1), CreatedAt = at, Components = [new MaintenanceComponent { CheckId = 3 }] });
        await db.SaveChangesAsync(ct);

        // Deleting the check keeps the incident (its opener is forgotten) and drops it from both lists of services.
        await db.Checks.Where(c => c.Id == 3).ExecuteDeleteAsync(ct);
        var incident = await db.Incidents.AsNoTracking().Include(i => i.Components).Include(i => i.Updates).SingleAsync(ct);
        Assert.Equal(("Database down", (int?)null, 0, 1), (incident.Title, incident.CheckId, incident.Components.Count, incident.Updates.Count));
        Assert.Empty(await db.MaintenanceComponents.ToListAsync(ct));
    }
}

public sealed class IncidentsMigrationTests_Sqlite : IncidentsMigrationTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class IncidentsMigrationTests_Postgres : IncidentsMigrationTests
{
    protected override TestStore Store => TestStore.Postgres;
}
