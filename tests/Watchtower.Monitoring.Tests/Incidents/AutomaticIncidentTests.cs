using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Incidents;
using Watchtower.Monitoring.State;
using Watchtower.Monitoring.Tests.Engine;
using Watchtower.Probes;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Incidents;

/// <summary>
/// The recorder's state-change hook: a confirmed down of a check shown on pages opens one incident
/// per page (once, however often the down is recorded), recovery resolves it, and a check in a
/// maintenance window in progress opens none — all saved with the check's state change.
/// </summary>
public abstract class AutomaticIncidentTests : EngineTestBase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int runs;

    private static ProbeResult Refused => ProbeResult.Failed(FailureReason.Refused, "Connection refused by 127.0.0.1:9") with { StartedAt = NextInstant() };

    private static ProbeResult Answered => new() { Success = true, Message = "Connected", StartedAt = NextInstant() };

    /// <summary>
    /// Each run a millisecond apart at least: a check's results are keyed by (check, time), and two
    /// runs read back-to-back could otherwise fall in the same stored microsecond (a duplicate).
    /// </summary>
    private static DateTimeOffset NextInstant() => DateTimeOffset.UtcNow.AddMilliseconds(Interlocked.Increment(ref runs));

    private async Task<(Check Check, int[] Pages)> CheckOnPagesAsync(int pages)
    {
        var check = await AddCheckAsync(9, DateTimeOffset.UtcNow);
        await using var scope = App.CreateScope(out var db);
        var ids = new List<int>();
        for (var i = 0; i < pages; i++)
        {
            var page = new StatusPage { TeamId = TeamId, Name = $"page {i}", Slug = $"p-{Guid.NewGuid():N}"[..20], CreatedAt = DateTimeOffset.UtcNow, Checks = [new StatusPageCheck { CheckId = check.Id, SortOrder = 1 }] };
            db.StatusPages.Add(page);
            await db.SaveChangesAsync(Ct);
            ids.Add(page.Id);
        }

        return (check, [.. ids]);
    }

    /// <summary>Records results against the stored check in one unit of work, as a batch does, and saves.</summary>
    private async Task RecordAsync(int checkId, params ProbeResult[] results)
    {
        await using var scope = App.CreateScope(out var db);
        var recorder = scope.ServiceProvider.GetRequiredService<CheckRecorder>();
        var check = await db.Checks.SingleAsync(c => c.Id == checkId, Ct);
        foreach (var result in results)
        {
            await recorder.RecordRunAsync(check, result, Ct);
        }

        await db.SaveChangesAsync(Ct);
    }

    private Task<List<Incident>> IncidentsOfAsync(int checkId) =>
        QueryAsync(db => db.Incidents.Include(i => i.Components).Include(i => i.Updates).Where(i => i.CheckId == checkId).OrderBy(i => i.StatusPageId));

    [Fact]
    public async Task A_confirmed_down_opens_one_incident_per_page_even_when_recorded_twice()
    {
        var (check, pages) = await CheckOnPagesAsync(2);

        await RecordAsync(check.Id, Refused, Refused); // twice in one unit of work
        await RecordAsync(check.Id, Refused);          // and again in another (a batch that ran twice)

        var incidents = await IncidentsOfAsync(check.Id);
        Assert.Equal(pages, incidents.Select(i => i.StatusPageId));
        Assert.All(incidents, i =>
        {
            Assert.Equal(("tcp 9 is down: Connection refused", IncidentStatus.Investigating, IncidentImpact.Major, true), (i.Title, i.Status, i.Impact, i.Automatic));
            Assert.Null(i.ResolvedAt);
            Assert.Equal((check.Id, ComponentStatus.MajorOutage), (Assert.Single(i.Components).CheckId, i.Components[0].Status));
            Assert.Equal("Connection refused. We are looking into it.", Assert.Single(i.Updates).Body);
        });

        // The hook itself, handed the same change again after the save, adds nothing.
        await using (var scope = App.CreateScope(out var db))
        {
            var stored = await db.Checks.SingleAsync(c => c.Id == check.Id, Ct);
            var change = await db.CheckStateChanges.Where(s => s.CheckId == check.Id && s.To == CheckState.Down).SingleAsync(Ct);
            foreach (var hook in scope.ServiceProvider.GetServices<IStateChangeHook>())
            {
                hook.OnStateChanged(stored, change);
            }

            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal(2, (await IncidentsOfAsync(check.Id)).Count);
    }

    [Fact]
    public async Task Recovery_resolves_the_incident_and_the_next_outage_opens_a_new_one()
    {
        var (check, _) = await CheckOnPagesAsync(1);
        await RecordAsync(check.Id, Refused);
        await RecordAsync(check.Id, Answered);

        var resolved = Assert.Single(await IncidentsOfAsync(check.Id));
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.NotNull(resolved.ResolvedAt);
        Assert.Equal(ComponentStatus.Operational, Assert.Single(resolved.Components).Status);
        Assert.Equal([IncidentStatus.Investigating, IncidentStatus.Resolved], resolved.Updates.OrderBy(u => u.At).ThenBy(u => u.Id).Select(u => u.Status));
        Assert.Equal(AutomaticIncidents.RecoveredText, resolved.Updates.OrderBy(u => u.Id).Last().Body);

        await RecordAsync(check.Id, Answered); // up again: nothing to resolve, nothing new
        await RecordAsync(check.Id, Refused);  // a second outage
        var incidents = await IncidentsOfAsync(check.Id);
        Assert.Equal(2, incidents.Count);
        Assert.Single(incidents, i => i.ResolvedAt is null);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_check_in_maintenance_opens_no_incident(bool automatic)
    {
        var (check, pages) = await CheckOnPagesAsync(1);
        var now = DateTimeOffset.UtcNow;
        await using (var scope = App.CreateScope(out var db))
        {
            db.Maintenances.Add(new Maintenance
            {
                TeamId = TeamId, StatusPageId = pages[0], Title = "Upgrade", TimeZone = "Europe/Berlin", CreatedAt = now,
                // Automatic: by the clock (now is inside); by hand: started, though its planned start is tomorrow.
                StartsAt = automatic ? now.AddMinutes(-5) : now.AddDays(1), EndsAt = automatic ? now.AddHours(1) : now.AddDays(1).AddHours(1),
                AutoStartEnd = automatic, Status = automatic ? MaintenanceStatus.Scheduled : MaintenanceStatus.InProgress,
                Components = [new MaintenanceComponent { CheckId = check.Id }],
            });
            await db.SaveChangesAsync(Ct);
        }

        await RecordAsync(check.Id, Refused);

        Assert.Equal(CheckState.Down, (await ReloadAsync(check.Id)).State);
        Assert.Empty(await IncidentsOfAsync(check.Id));
    }

    [Fact]
    public async Task A_completed_or_future_window_does_not_suppress_and_a_check_on_no_page_opens_nothing()
    {
        var (check, pages) = await CheckOnPagesAsync(1);
        var lonely = await AddCheckAsync(10, DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow;
        await using (var scope = App.CreateScope(out var db))
        {
            db.Maintenances.AddRange(
                new Maintenance { TeamId = TeamId, StatusPageId = pages[0], Title = "Later", TimeZone = "UTC", CreatedAt = now, StartsAt = now.AddHours(1), EndsAt = now.AddHours(2), Components = [new MaintenanceComponent { CheckId = check.Id }] },
                new Maintenance { TeamId = TeamId, StatusPageId = pages[0], Title = "Done early", TimeZone = "UTC", CreatedAt = now, StartsAt = now.AddHours(-1), EndsAt = now.AddHours(1), Status = MaintenanceStatus.Completed, Components = [new MaintenanceComponent { CheckId = check.Id }] });
            await db.SaveChangesAsync(Ct);
        }

        await RecordAsync(check.Id, Refused);
        await RecordAsync(lonely.Id, Refused);

        Assert.Single(await IncidentsOfAsync(check.Id));
        Assert.Empty(await IncidentsOfAsync(lonely.Id));
    }
}

public sealed class AutomaticIncidentTests_Sqlite : AutomaticIncidentTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class AutomaticIncidentTests_Postgres : AutomaticIncidentTests
{
    protected override TestStore Store => TestStore.Postgres;
}
