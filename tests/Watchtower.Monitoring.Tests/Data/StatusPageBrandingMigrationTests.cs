using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Data;

/// <summary>A database of the version before branding comes out of the StatusPageBranding migration with its pages and placements, public and ungrouped, and takes groups, logos, visibility and domains.</summary>
public abstract class StatusPageBrandingMigrationTests
{
    protected abstract TestStore Store { get; }

    [Fact]
    public async Task Pages_and_placements_survive_as_public_and_ungrouped_and_branding_can_be_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await UpgradeDatabase.CreateAsync(Store, ct);
        await database.MigrateToAsync("_Rollups", ct);
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
        await database.ExecuteAsync("""INSERT INTO status_pages ("Id", "TeamId", "Name", "Slug", "Description", "CreatedAt") VALUES (10, 7, 'Ops status', 'ops', 'Our services', {0})""", ct, now);
        await database.ExecuteAsync("""INSERT INTO status_page_checks ("StatusPageId", "CheckId", "SortOrder") VALUES (10, 3, 4)""", ct);

        await database.MigrateToAsync(null, ct);

        await using var db = database.NewContext();
        var page = await db.StatusPages.Include(p => p.Checks).SingleAsync(p => p.Id == 10, ct);
        Assert.Equal((7, "ops", "Our services", StatusPageVisibility.Public), (page.TeamId, page.Slug, page.Description, page.Visibility));
        Assert.Equal((null, null, null, null, null), (page.LogoHash, page.SiteUrl, page.AccentColor, page.CustomDomain, page.PasswordHash));
        var placement = Assert.Single(page.Checks);
        Assert.Equal((3, 4, (int?)null), (placement.CheckId, placement.SortOrder, placement.GroupId));

        var group = new StatusPageGroup { Name = "Data", SortOrder = 1 };
        page.Groups.Add(group);
        placement.Group = group;
        page.Visibility = StatusPageVisibility.Password;
        page.PasswordHash = "hash";
        page.CustomDomain = "status.ops.example";
        page.DomainToken = "abc";
        page.LogoHash = "0123456789abcdef";
        db.StatusPageLogos.Add(new StatusPageLogo { StatusPageId = 10, Content = [1, 2, 3] });
        await db.SaveChangesAsync(ct);

        // One page per domain, whichever team.
        await database.ExecuteAsync("""INSERT INTO status_pages ("Id", "TeamId", "Name", "Slug", "CreatedAt", "Visibility") VALUES (11, 7, 'Other', 'other', {0}, 'Public')""", ct, now);
        await Assert.ThrowsAnyAsync<Exception>(() => database.ExecuteAsync("""UPDATE status_pages SET "CustomDomain" = 'status.ops.example' WHERE "Id" = 11""", ct));

        // Removing a group leaves its checks on the page; deleting the page takes its groups and logo.
        await db.StatusPageGroups.Where(g => g.Id == group.Id).ExecuteDeleteAsync(ct);
        Assert.Null((await db.StatusPageChecks.AsNoTracking().SingleAsync(ct)).GroupId);
        await db.StatusPages.Where(p => p.Id == 10).ExecuteDeleteAsync(ct);
        Assert.Equal((0, 0), (await db.StatusPageLogos.CountAsync(ct), await db.StatusPageGroups.CountAsync(ct)));
    }
}

public sealed class StatusPageBrandingMigrationTests_Sqlite : StatusPageBrandingMigrationTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class StatusPageBrandingMigrationTests_Postgres : StatusPageBrandingMigrationTests
{
    protected override TestStore Store => TestStore.Postgres;
}
