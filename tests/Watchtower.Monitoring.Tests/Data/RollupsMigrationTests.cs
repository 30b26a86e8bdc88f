using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.History;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Data;

/// <summary>
/// A database of the version before rollups (Incidents) comes out of the Rollups migration with its
/// checks and raw results, and the rebuild turns the results it already had into history.
/// </summary>
public abstract class RollupsMigrationTests
{
    protected abstract TestStore Store { get; }

    [Fact]
    public async Task Checks_and_results_survive_and_the_rebuild_makes_history_of_the_results_already_held()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await UpgradeDatabase.CreateAsync(Store, ct);
        await database.MigrateToAsync("_Incidents", ct);
        var created = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var now = database.Timestamp(created);
        var (yes, no) = Store == TestStore.Postgres ? ("TRUE", "FALSE") : ("1", "0");
        await database.ExecuteAsync($"""INSERT INTO teams ("Id", "Name", "CreatedAt", "RequireTwoFactor") VALUES (7, 'Ops', {"{0}"}, {no})""", ct, now);
        var tcp = """{"Host":"db.example.com","Port":5432,"Service":"Postgres","StartTls":false,"ImplicitTls":false,"CertificateName":null,"Send":null,"SendFormat":"Text","Expect":null,"ExpectMode":"Contains","ReadTimeoutSeconds":5,"CertificateWarningDays":14}""";
        await database.ExecuteAsync($$"""
            INSERT INTO checks ("Id", "TeamId", "Name", "Kind", "tcp", "IntervalSeconds", "TimeoutSeconds", "Enabled", "ShowTargetOnStatusPage", "Location",
                "FailureThreshold", "RecoveryThreshold", "CreatedAt", "NextRunAt", "State", "LastReason", "ConsecutiveFailures", "ConsecutiveSuccesses"{{(Store == TestStore.Sqlite ? ", \"Version\"" : "")}})
            VALUES (3, 7, 'Database', 'Tcp', '{{tcp.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)}}', 60, 10, {{yes}}, {{no}}, 'default',
                2, 1, {0}, {0}, 'Up', 'None', 0, 1{{(Store == TestStore.Sqlite ? ", 0" : "")}})
            """, ct, now);
        // Ten runs a minute apart: up, then down for the last three.
        for (var i = 0; i < 10; i++)
        {
            await database.ExecuteAsync($"""
                INSERT INTO check_results ("CheckId", "CheckedAt", "Status", "Reason", "Message", "LatencyMs", "DurationMs")
                VALUES (3, {"{0}"}, '{(i < 7 ? "Up" : "Down")}', 'None', 'ok', {(i < 7 ? (40 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) : "NULL")}, 5)
                """, ct, database.Timestamp(created.AddMinutes(i)));
        }

        await database.MigrateToAsync(null, ct);

        await using var db = database.NewContext();
        Assert.Equal(CheckState.Up, (await db.Checks.AsNoTracking().SingleAsync(c => c.Id == 3, ct)).State);
        Assert.Equal(10, await db.CheckResults.CountAsync(r => r.CheckId == 3, ct));
        Assert.Empty(await db.DailyRollups.ToListAsync(ct));

        var clock = new FakeTimeProvider(created.AddHours(1));
        var report = await new RollupRebuild(db, clock, NullLogger<RollupRebuild>.Instance).RebuildAsync(null, null, ct);
        Assert.Equal((1, 10), (report.Checks, report.Results));
        var day = await db.DailyRollups.AsNoTracking().SingleAsync(ct);
        // Seven up minutes before the first down run, then two down minutes (the last run's minute is still open).
        Assert.Equal((7, 3, 420_000L, 120_000L, 540_000L, 7), (day.RunsUp, day.RunsDown, day.UpMs, day.DownMs, day.ObservedMs, day.LatencyCount));
        Assert.Equal("77.77%", Uptime.Format(UptimeTotals.Of(day).Percent));
    }
}

public sealed class RollupsMigrationTests_Sqlite : RollupsMigrationTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class RollupsMigrationTests_Postgres : RollupsMigrationTests
{
    protected override TestStore Store => TestStore.Postgres;
}
