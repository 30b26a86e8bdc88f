using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Retention;
using Watchtower.Testing;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Tests.Hardening;

/// <summary>
/// The audit log is kept a year: the retention service deletes older entries when it starts and then
/// once a day, more than one batch of them when there are, on both stores. The clock is fake (nothing
/// else is): the service runs against the app's real database with its real timer on that clock.
/// </summary>
public abstract class AuditRetentionHardeningTests : IAsyncLifetime
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private WatchtowerApp app = null!;
    private int teamId;
    private int otherTeamId;

    protected abstract TestStore Store { get; }

    public async ValueTask InitializeAsync()
    {
        app = await WatchtowerApp.CreateAsync(new AppOptions { Store = Store }, Cancel);
        await using var scope = app.CreateScope(out var db);
        var user = new WatchtowerUser { UserName = $"audit-{Guid.NewGuid():N}@example.com", Email = "audit@example.com" };
        db.Users.Add(user);
        await db.SaveChangesAsync(Cancel);
        var team = new Team { Name = "Audited", CreatedAt = DateTimeOffset.UtcNow, Members = [new TeamMember { UserId = user.Id, Role = TeamRole.Owner }] };
        var other = new Team { Name = "Other", CreatedAt = DateTimeOffset.UtcNow, Members = [new TeamMember { UserId = user.Id, Role = TeamRole.Owner }] };
        db.Teams.AddRange(team, other);
        await db.SaveChangesAsync(Cancel);
        (teamId, otherTeamId) = (team.Id, other.Id);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Entries_older_than_a_year_are_deleted_at_start_and_then_daily_in_batches()
    {
        Assert.Equal(TimeSpan.FromDays(365), AuditLog.KeptFor);
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var now = clock.GetUtcNow();
        // More than two batches of expired entries, in two teams; and entries inside the year.
        var expired = Enumerable.Range(0, (2 * AuditRetention.BatchSize) + 500)
            .Select(i => Event(i % 5 == 0 ? otherTeamId : teamId, now - AuditLog.KeptFor - TimeSpan.FromMinutes(1 + i), $"old {i}"))
            .ToList();
        await AddAsync([
            .. expired,
            Event(teamId, now - AuditLog.KeptFor + TimeSpan.FromHours(6), "expires in 6 hours"),
            Event(teamId, now - TimeSpan.FromDays(1), "yesterday"),
            Event(otherTeamId, now - TimeSpan.FromDays(364), "364 days ago"),
        ]);

        using var retention = ActivatorUtilities.CreateInstance<AuditRetention>(app.Services, (TimeProvider)clock);
        await retention.StartAsync(Cancel);
        try
        {
            // At start: every expired entry goes, in both teams; the rest stays.
            await WaitForAsync(async () => await RemainingAsync() is ["364 days ago", "expires in 6 hours", "yesterday"]);

            // 23 hours later the next pass is not due, though one more entry has expired meanwhile.
            clock.Advance(TimeSpan.FromHours(23));
            await Task.Delay(300, Cancel);
            Assert.Equal(["364 days ago", "expires in 6 hours", "yesterday"], await RemainingAsync());

            // A day after the first pass, the second deletes it.
            clock.Advance(TimeSpan.FromHours(1));
            await WaitForAsync(async () => await RemainingAsync() is ["364 days ago", "yesterday"]);
        }
        finally
        {
            await retention.StopAsync(Cancel);
        }
    }

    [Fact]
    public async Task One_pass_reports_what_it_deleted_and_a_second_finds_nothing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var now = clock.GetUtcNow();
        await AddAsync([.. Enumerable.Range(0, AuditRetention.BatchSize).Select(i => Event(teamId, now - AuditLog.KeptFor - TimeSpan.FromSeconds(1 + i), $"old {i}")),
            Event(teamId, now - AuditLog.KeptFor + TimeSpan.FromSeconds(1), "just inside")]);
        using var retention = ActivatorUtilities.CreateInstance<AuditRetention>(app.Services, (TimeProvider)clock);

        // Exactly one full batch: the loop must look again, find none, and stop.
        Assert.Equal(AuditRetention.BatchSize, await retention.DeleteExpiredAsync(Cancel));
        Assert.Equal(0, await retention.DeleteExpiredAsync(Cancel));
        Assert.Equal(["just inside"], await RemainingAsync());
    }

    private static AuditEvent Event(int team, DateTimeOffset at, string target) => new()
    {
        TeamId = team, At = at, Actor = "audit@example.com", Action = "check.updated", Target = target,
    };

    private async Task AddAsync(IEnumerable<AuditEvent> events)
    {
        await using var scope = app.CreateScope(out var db);
        db.AuditEvents.AddRange(events);
        await db.SaveChangesAsync(Cancel);
    }

    private async Task<List<string>> RemainingAsync()
    {
        await using var scope = app.CreateScope(out var db);
        return await db.AuditEvents.AsNoTracking().Where(e => e.TeamId == teamId || e.TeamId == otherTeamId)
            .OrderBy(e => e.Target).Select(e => e.Target).ToListAsync(Cancel);
    }

    private static async Task WaitForAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the retention pass did not finish within 20 s");
            await Task.Delay(100, Cancel);
        }
    }
}

public sealed class AuditRetentionHardeningTests_Sqlite : AuditRetentionHardeningTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class AuditRetentionHardeningTests_Postgres : AuditRetentionHardeningTests
{
    protected override TestStore Store => TestStore.Postgres;
}
