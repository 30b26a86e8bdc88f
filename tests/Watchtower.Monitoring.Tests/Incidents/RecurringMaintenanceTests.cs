using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Incidents;
using Watchtower.Monitoring.State;
using Watchtower.Monitoring.Tests.Engine;
using Watchtower.Probes;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Incidents;

/// <summary>
/// Weekly maintenance: occurrences keep their wall-clock time across daylight-saving changes in
/// Europe/Berlin (a skipped start moves past the gap, a repeated one happens once); the pass writes
/// them ahead as windows, twice adds nothing and a cancelled one stays cancelled; a check in an
/// occurrence opens no incident; and rollups count the occurrence's time as maintenance, not downtime.
/// </summary>
public abstract class RecurringMaintenanceTests : EngineTestBase
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 27, 0, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override Action<IServiceCollection>? ConfigureServices => services => services.AddSingleton<TimeProvider>(clock);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private RecurringMaintenancePass Pass() => new(App.Services.GetRequiredService<IServiceScopeFactory>(), clock, NullLogger<RecurringMaintenancePass>.Instance);

    private async Task<(Check Check, int PageId)> CheckOnPageAsync(DateTimeOffset at)
    {
        var check = await AddCheckAsync(9, at);
        await using var scope = App.CreateScope(out var db);
        var page = new StatusPage { TeamId = TeamId, Name = "p", Slug = $"p-{Guid.NewGuid():N}"[..20], CreatedAt = at, Checks = [new StatusPageCheck { CheckId = check.Id, SortOrder = 1 }] };
        db.StatusPages.Add(page);
        await db.SaveChangesAsync(Ct);
        return (check, page.Id);
    }

    private async Task<RecurringMaintenance> RuleAsync(int pageId, int checkId, WeekDays days, TimeOnly start, int minutes, DateOnly first, string zone = "Europe/Berlin", DateOnly? last = null)
    {
        await using var scope = App.CreateScope(out var db);
        var rule = new RecurringMaintenance
        {
            TeamId = TeamId, StatusPageId = pageId, Title = "Nightly backup", TimeZone = zone, Days = days, StartTime = start, DurationMinutes = minutes,
            FirstDay = first, LastDay = last, CheckIds = [checkId], CreatedAt = clock.GetUtcNow(),
        };
        db.RecurringMaintenances.Add(rule);
        await db.SaveChangesAsync(Ct);
        return rule;
    }

    private Task<List<Maintenance>> OccurrencesAsync(int ruleId) =>
        QueryAsync(db => db.Maintenances.AsNoTracking().Include(m => m.Components).Where(m => m.RecurringMaintenanceId == ruleId).OrderBy(m => m.StartsAt));

    [Fact]
    public void Occurrences_keep_their_local_time_across_both_daylight_saving_changes_in_Berlin()
    {
        // 29 March 2026: 02:00 CET → 03:00 CEST. 25 October 2026: 03:00 CEST → 02:00 CET.
        var spring = RecurringMaintenanceSchedule.Occurrences(WeekDays.Saturday | WeekDays.Sunday, new TimeOnly(9, 0), 60, Berlin, new DateOnly(2026, 3, 27), new DateOnly(2026, 4, 5)).ToList();
        Assert.Equal([Utc(3, 28, 8), Utc(3, 29, 7), Utc(4, 4, 7), Utc(4, 5, 7)], spring.Select(o => o.Start));
        Assert.All(spring, o => Assert.Equal(TimeSpan.FromHours(1), o.End - o.Start));
        Assert.All(spring, o => Assert.Equal(new TimeOnly(9, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(o.Start, Berlin).DateTime)));

        // 02:30 does not exist on 29 March (moves to 03:00 CEST) and happens twice on 25 October (once: the first time).
        var night = RecurringMaintenanceSchedule.Occurrences(WeekDays.Sunday, new TimeOnly(2, 30), 30, Berlin, new DateOnly(2026, 3, 22), new DateOnly(2026, 4, 5)).Select(o => o.Start).ToList();
        Assert.Equal([Utc(3, 22, 1, 30), Utc(3, 29, 1, 0), Utc(4, 5, 0, 30)], night);
        var autumn = RecurringMaintenanceSchedule.Occurrences(WeekDays.Sunday, new TimeOnly(2, 30), 30, Berlin, new DateOnly(2026, 10, 18), new DateOnly(2026, 11, 1)).Select(o => o.Start).ToList();
        Assert.Equal([Utc(10, 18, 0, 30), Utc(10, 25, 0, 30), Utc(11, 1, 1, 30)], autumn);
    }

    [Fact]
    public async Task The_pass_writes_two_weeks_ahead_across_the_spring_change_adds_nothing_when_run_twice_and_keeps_a_cancelled_occurrence_cancelled()
    {
        var (check, pageId) = await CheckOnPageAsync(clock.GetUtcNow());
        var rule = await RuleAsync(pageId, check.Id, WeekDays.Saturday | WeekDays.Sunday, new TimeOnly(9, 0), 60, new DateOnly(2026, 3, 27), last: new DateOnly(2026, 5, 31));

        // Now is 27 March 00:00 UTC; ahead through 10 April (Berlin): 28, 29 March, 4, 5 April.
        Assert.Equal(4, await Pass().RunAsync(Ct));
        var rows = await OccurrencesAsync(rule.Id);
        Assert.Equal([Utc(3, 28, 8), Utc(3, 29, 7), Utc(4, 4, 7), Utc(4, 5, 7)], rows.Select(m => m.StartsAt));
        Assert.All(rows, m => Assert.Equal((true, MaintenanceStatus.Scheduled, "Nightly backup", "Europe/Berlin", check.Id), (m.AutoStartEnd, m.Status, m.Title, m.TimeZone, Assert.Single(m.Components).CheckId)));
        Assert.Equal(0, await Pass().RunAsync(Ct));
        Assert.Equal(4, (await OccurrencesAsync(rule.Id)).Count);

        // The owner cancels 4 April; a week later the pass writes the next weekend only.
        await using (var scope = App.CreateScope(out var db))
        {
            await db.Maintenances.Where(m => m.RecurringMaintenanceId == rule.Id && m.StartsAt == Utc(4, 4, 7)).ExecuteDeleteAsync(Ct);
        }

        clock.SetUtcNow(Utc(4, 3, 12));
        Assert.Equal(2, await Pass().RunAsync(Ct));
        Assert.Equal([Utc(3, 28, 8), Utc(3, 29, 7), Utc(4, 5, 7), Utc(4, 11, 7), Utc(4, 12, 7)], (await OccurrencesAsync(rule.Id)).Select(m => m.StartsAt));

        // Past its last day nothing more is written.
        clock.SetUtcNow(Utc(5, 30, 12));
        await Pass().RunAsync(Ct);
        Assert.Equal(new DateOnly(2026, 5, 31), (await OccurrencesAsync(rule.Id)).Max(m => m.OccurrenceOn));
        clock.SetUtcNow(Utc(6, 20, 12));
        Assert.Equal(0, await Pass().RunAsync(Ct));
    }

    [Fact]
    public async Task A_check_down_during_an_occurrence_opens_no_incident_and_after_it_does()
    {
        var now = DateTimeOffset.UtcNow;
        clock.SetUtcNow(now);
        var (check, pageId) = await CheckOnPageAsync(now);
        // Every day from five minutes ago, for an hour (UTC, so the local day is today's UTC day).
        var start = now.AddMinutes(-5);
        var rule = await RuleAsync(pageId, check.Id, (WeekDays)127, new TimeOnly(start.Hour, start.Minute), 60, DateOnly.FromDateTime(start.UtcDateTime), zone: "UTC");
        Assert.True(await Pass().RunAsync(Ct) >= 1);
        var current = (await OccurrencesAsync(rule.Id))[0];
        Assert.True(current.StartsAt <= now && now < current.EndsAt);

        await RecordAsync(check.Id, ProbeResult.Failed(FailureReason.Refused, "Connection refused") with { StartedAt = now.AddSeconds(1) });
        Assert.Equal(CheckState.Down, (await ReloadAsync(check.Id)).State);
        Assert.Empty(await QueryAsync(db => db.Incidents.Where(i => i.CheckId == check.Id)));

        // The same check down again after the occurrence: an incident opens.
        await RecordAsync(check.Id, new ProbeResult { Success = true, Message = "Connected", StartedAt = current.EndsAt.AddMinutes(1) });
        await RecordAsync(check.Id, ProbeResult.Failed(FailureReason.Refused, "Connection refused") with { StartedAt = current.EndsAt.AddMinutes(2) });
        Assert.Single(await QueryAsync(db => db.Incidents.Where(i => i.CheckId == check.Id)));
    }

    [Fact]
    public async Task Rollups_count_an_occurrence_as_maintenance_not_downtime()
    {
        // Friday 20 November 2026 (CET, UTC+1); weekly on Fridays 11:58 Berlin for 3 minutes = 10:58–11:01 UTC.
        var day = Utc(11, 20, 0);
        clock.SetUtcNow(day);
        var (check, pageId) = await CheckOnPageAsync(day);
        var rule = await RuleAsync(pageId, check.Id, WeekDays.Friday, new TimeOnly(11, 58), 3, new DateOnly(2026, 11, 13));
        Assert.Equal(3, await Pass().RunAsync(Ct)); // 20, 27 November, 4 December (13 November is over)
        Assert.Equal(Utc(11, 20, 10, 58), (await OccurrencesAsync(rule.Id))[0].StartsAt);

        clock.SetUtcNow(day.AddHours(12));
        ProbeResult Run(int hour, int minute, bool up) => up
            ? new ProbeResult { Success = true, Message = "Connected", StartedAt = day.AddHours(hour).AddMinutes(minute), Timings = new ProbeTimings { Connect = TimeSpan.FromMilliseconds(10), Total = TimeSpan.FromMilliseconds(10) } }
            : ProbeResult.Failed(FailureReason.Refused, "Connection refused") with { StartedAt = day.AddHours(hour).AddMinutes(minute) };
        // Up at 10:56 and 10:57, down 10:58–11:00 (inside the occurrence), up again 11:01.
        await RecordAsync(check.Id, Run(10, 56, true), Run(10, 57, true), Run(10, 58, false), Run(10, 59, false), Run(11, 0, false), Run(11, 1, true), Run(11, 2, true));

        var hours = await QueryAsync(db => db.HourlyRollups.AsNoTracking().Where(r => r.CheckId == check.Id).OrderBy(r => r.Start));
        // 10:56–11:00 observed: 2 min up, 10:58–11:00 down inside the window → maintenance; 11:00–11:01 down in the window, 11:01–11:03 up.
        Assert.Equal((120_000L, 0L, 120_000L, 240_000L), (hours[0].UpMs, hours[0].DownMs, hours[0].MaintenanceMs, hours[0].ObservedMs));
        Assert.Equal((0L, 60_000L), (hours[1].DownMs, hours[1].MaintenanceMs));
        Assert.Equal(0L, hours.Sum(h => h.DownMs));
    }

    /// <summary>Records results against the stored check in one unit of work, history written, as a batch does.</summary>
    private async Task RecordAsync(int checkId, params ProbeResult[] results)
    {
        await using var scope = App.CreateScope(out var db);
        var recorder = scope.ServiceProvider.GetRequiredService<CheckRecorder>();
        var check = await db.Checks.SingleAsync(c => c.Id == checkId, Ct);
        foreach (var result in results)
        {
            await recorder.RecordRunAsync(check, result, Ct);
        }

        await recorder.WriteHistoryAsync(Ct);
        await db.SaveChangesAsync(Ct);
    }
}

public sealed class RecurringMaintenanceTests_Sqlite : RecurringMaintenanceTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class RecurringMaintenanceTests_Postgres : RecurringMaintenanceTests
{
    protected override TestStore Store => TestStore.Postgres;
}
