using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Data;

/// <summary>
/// Accounts of the version before teams come out of the Teams migration each with a personal team
/// that owns exactly what the account owned: pages, checks and, through them, results and placements.
/// </summary>
public abstract class TeamsMigrationTests
{
    protected abstract TestStore Store { get; }

    [Fact]
    public async Task Every_account_gets_a_personal_team_that_owns_what_it_owned()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await UpgradeDatabase.CreateAsync(Store, ct);
        await database.MigrateToAsync("_KindSettings", ct);
        var now = database.Timestamp(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        var (yes, no) = Store == TestStore.Postgres ? ("TRUE", "FALSE") : ("1", "0");
        foreach (var (id, email) in new[] { ("ann", "ann@example.com"), ("bob", "bob.smith@example.org"), ("nomail", "") })
        {
            await database.ExecuteAsync($$"""
                INSERT INTO "AspNetUsers" ("Id", "CreatedAt", "UserName", "Email", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
                VALUES ('{{id}}', {0}, '{{id}}', {{(email.Length == 0 ? "NULL" : $"'{email}'")}}, {{no}}, {{no}}, {{no}}, {{yes}}, 0)
                """, ct, now);
        }

        var tcp = """{"Host":"db.example.com","Port":5432,"Service":"Postgres","StartTls":false,"ImplicitTls":false,"CertificateName":null,"Send":null,"SendFormat":"Text","Expect":null,"ExpectMode":"Contains","ReadTimeoutSeconds":5,"CertificateWarningDays":14}""";
        foreach (var (checkId, owner) in new[] { (1, "ann"), (2, "ann"), (3, "bob") })
        {
            await database.ExecuteAsync($$"""
                INSERT INTO checks ("Id", "OwnerId", "Name", "Kind", "tcp", "IntervalSeconds", "TimeoutSeconds", "Enabled", "ShowTargetOnStatusPage", "Location",
                    "FailureThreshold", "RecoveryThreshold", "CreatedAt", "NextRunAt", "State", "LastReason", "ConsecutiveFailures", "ConsecutiveSuccesses"{{(Store == TestStore.Sqlite ? ", \"Version\"" : "")}})
                VALUES ({{checkId}}, '{{owner}}', 'check {{checkId}}', 'Tcp', '{{tcp.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)}}', 60, 10, {{yes}}, {{no}}, 'default',
                    2, 1, {0}, {0}, 'Up', 'None', 0, 4{{(Store == TestStore.Sqlite ? ", 0" : "")}})
                """, ct, now);
        }

        await database.ExecuteAsync("""INSERT INTO status_pages ("Id", "OwnerId", "Name", "Slug", "CreatedAt") VALUES (10, 'ann', 'Ann''s page', 'ann-page', {0}), (11, 'bob', 'Bob''s page', 'bob-page', {0})""", ct, now);
        await database.ExecuteAsync("""INSERT INTO status_page_checks ("StatusPageId", "CheckId", "SortOrder") VALUES (10, 2, 1), (10, 1, 2), (11, 3, 1)""", ct);
        await database.ExecuteAsync("""INSERT INTO check_results ("CheckId", "CheckedAt", "Status", "Reason", "Message", "DurationMs") VALUES (3, {0}, 'Up', 'None', 'kept', 2)""", ct, now);

        await database.MigrateToAsync(null, ct);

        await using var db = database.NewContext();
        var teams = await db.Teams.AsNoTracking().Include(t => t.Members).ToDictionaryAsync(t => t.CreatedByUserId!, ct);
        Assert.Equal(["ann", "bob", "nomail"], teams.Keys.Order());
        Assert.Equal(("ann’s team", "bob.smith’s team", "My team"), (teams["ann"].Name, teams["bob"].Name, teams["nomail"].Name));
        Assert.All(teams, t => Assert.Equal((t.Key, TeamRole.Owner), (Assert.Single(t.Value.Members).UserId, t.Value.Members[0].Role)));
        var checks = await db.Checks.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        Assert.Equal([teams["ann"].Id, teams["ann"].Id, teams["bob"].Id], checks.Select(c => c.TeamId));
        Assert.All(checks, c => Assert.Equal(("db.example.com", 4, CheckState.Up), (c.Tcp!.Host, c.ConsecutiveSuccesses, c.State)));
        var pages = await db.StatusPages.AsNoTracking().Include(p => p.Checks).OrderBy(p => p.Id).ToListAsync(ct);
        Assert.Equal([teams["ann"].Id, teams["bob"].Id], pages.Select(p => p.TeamId));
        Assert.Equal([2, 1], pages[0].Checks.OrderBy(c => c.SortOrder).Select(c => c.CheckId));
        Assert.Equal(CheckState.Up, Assert.Single(await db.CheckResults.Where(r => r.CheckId == 3).ToListAsync(ct)).Status);
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, ct);
        Assert.All(users.Values, u => Assert.Equal((teams[u.Id].Id, true), (u.CurrentTeamId, u.EmailConfirmed)));
    }
}

public sealed class TeamsMigrationTests_Sqlite : TeamsMigrationTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class TeamsMigrationTests_Postgres : TeamsMigrationTests
{
    protected override TestStore Store => TestStore.Postgres;
}
