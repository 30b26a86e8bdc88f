using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Alerts;
using Watchtower.Monitoring.State;
using Watchtower.Monitoring.Tests.Engine;
using Watchtower.Probes;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Alerts;

/// <summary>
/// Flapping control, reminders and the alert delay on PostgreSQL under a fake clock: runs are
/// recorded through the check recorder (state machine and alert hook, as a batch does), the
/// dispatcher's maintenance writes reminders and summaries, and due deliveries are leased and sent
/// by the delivery job as email (.eml files, read back here) — what a person would receive.
/// </summary>
public sealed class AlertTimingTests : EngineTestBase
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddHours(-24));
    private readonly string mail = Path.Combine(Path.GetTempPath(), $"wt-alert-mail-{Guid.NewGuid():N}");
    private readonly HashSet<string> seen = [];

    protected override TestStore Store => TestStore.Postgres;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Watchtower:Alerts:RunDispatcher"] = "false",
        ["Watchtower:Email:PickupDirectory"] = mail,
    };

    protected override Action<IServiceCollection>? ConfigureServices => services => services.AddSingleton<TimeProvider>(clock);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTimeOffset T0 { get; set; }

    private void At(TimeSpan sinceStart) => clock.SetUtcNow(T0 + sinceStart);

    private static TimeSpan Min(double minutes) => TimeSpan.FromMinutes(minutes);

    private async Task<int> CheckAsync(int port, int? delayMinutes = null)
    {
        var check = await AddCheckAsync(port, clock.GetUtcNow().AddHours(1), intervalSeconds: 60);
        if (delayMinutes is not null)
        {
            await ChangeAsync(check.Id, c => c.AlertDelayMinutes = delayMinutes);
        }

        return check.Id;
    }

    /// <summary>One run at the clock's time, recorded and saved as a batch does.</summary>
    private async Task RunAsync(int checkId, bool up)
    {
        var now = clock.GetUtcNow();
        var result = up
            ? new ProbeResult { Success = true, Message = "Connected", StartedAt = now }
            : ProbeResult.Failed(FailureReason.Refused, "Connection refused by 127.0.0.1") with { StartedAt = now };
        await using var scope = App.CreateScope(out var db);
        var check = await db.Checks.SingleAsync(c => c.Id == checkId, Ct);
        await scope.ServiceProvider.GetRequiredService<CheckRecorder>().RecordRunAsync(check, result, Ct);
        await scope.ServiceProvider.GetRequiredService<CheckRecorder>().WriteHistoryAsync(Ct);
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>The dispatcher's maintenance (reminders, summaries), then one lease of what is due, sent by the job.</summary>
    private async Task<List<string>> TickAsync()
    {
        await App.Services.GetRequiredService<AlertDispatcher>().MaintainAsync(Ct);
        await using (var scope = App.CreateScope(out _))
        {
            var (lease, count) = await scope.ServiceProvider.GetRequiredService<IDeliveryClaimer>().ClaimAsync(clock.GetUtcNow(), 100, TimeSpan.FromMinutes(3), Ct);
            if (count > 0)
            {
                await using var job = App.Services.CreateAsyncScope();
                Assert.Equal(count, await job.ServiceProvider.GetRequiredService<AlertDeliveryJob>().RunAsync(lease, Ct));
            }
        }

        return NewEmails();
    }

    /// <summary>Subjects of the emails written since the last look, oldest first.</summary>
    private List<string> NewEmails()
    {
        if (!Directory.Exists(mail))
        {
            return [];
        }

        var subjects = new List<string>();
        foreach (var file in Directory.GetFiles(mail, "*.eml").Order(StringComparer.Ordinal))
        {
            if (seen.Add(file))
            {
                using var message = MimeKit.MimeMessage.Load(file);
                subjects.Add(message.Subject ?? "");
            }
        }

        return subjects;
    }

    private async Task StartAsync(params int[] checkIds)
    {
        T0 = clock.GetUtcNow();
        await AlertWorld.AddChannelAsync(App, TeamId, checkIds);
    }

    [Fact]
    public async Task A_check_flapping_within_the_window_is_told_one_down_and_up_then_one_summary_and_its_neighbour_is_told_as_usual()
    {
        var flapping = await CheckAsync(9);
        var steady = await CheckAsync(10);
        await StartAsync(flapping, steady);

        // The first down/up pair is told as it happens.
        await RunAsync(flapping, up: false);
        Assert.Equal(["[Watchtower] tcp 9 is down"], await TickAsync());
        At(Min(1));
        await RunAsync(flapping, up: true);
        Assert.Equal(["[Watchtower] tcp 9 is up again"], await TickAsync());

        // Two more pairs within the 10-minute window: nothing sent on its own.
        for (var i = 0; i < 2; i++)
        {
            At(Min(2 + (2 * i)));
            await RunAsync(flapping, up: false);
            Assert.Empty(await TickAsync());
            At(Min(3 + (2 * i)));
            await RunAsync(flapping, up: true);
            Assert.Empty(await TickAsync());
            if (i == 0)
            {
                // Flapping control is per check: another check going down meanwhile is told at once.
                await RunAsync(steady, up: false);
                Assert.Equal(["[Watchtower] tcp 10 is down"], await TickAsync());
            }
        }

        var suppressed = await QueryAsync(db => db.AlertEvents.Where(e => e.CheckId == flapping && e.Suppressed));
        Assert.Equal(4, suppressed.Count);
        Assert.Empty(await QueryAsync(db => db.AlertDeliveries.Where(d => suppressed.Select(e => e.Id).Contains(d.EventId))));

        // The window after the first suppressed event still open: no summary yet.
        At(Min(11.5));
        Assert.Empty(await TickAsync());

        // Past it: one summary, once, counting what was not told.
        At(Min(12.5));
        Assert.Equal(["[Watchtower] tcp 9 is flapping"], await TickAsync());
        At(Min(13));
        Assert.Empty(await TickAsync());
        var summary = Assert.Single(await QueryAsync(db => db.AlertEvents.Where(e => e.CheckId == flapping && e.Type == AlertEventType.CheckFlapping)));
        Assert.StartsWith("Went down 2 and came back 2 more times since", summary.Message, StringComparison.Ordinal);
        Assert.EndsWith("Now: Up.", summary.Message, StringComparison.Ordinal);
        Assert.All(await QueryAsync(db => db.AlertEvents.Where(e => e.CheckId == flapping && e.Suppressed)), e => Assert.Equal(summary.Id, e.SummaryId));

        // Once the told pair is out of the window, a down is told on its own again.
        At(Min(14));
        await RunAsync(flapping, up: false);
        Assert.Equal(["[Watchtower] tcp 9 is down"], await TickAsync());
    }

    [Fact]
    public async Task A_check_still_down_gets_one_reminder_per_period_and_none_after_it_recovers()
    {
        var check = await CheckAsync(9);
        await StartAsync(check);

        await RunAsync(check, up: false);
        Assert.Equal(["[Watchtower] tcp 9 is down"], await TickAsync());

        // The default reminder period is an hour: nothing before it, one at it, not two within it.
        At(Min(59));
        await RunAsync(check, up: false);
        Assert.Empty(await TickAsync());
        At(Min(60));
        Assert.Equal(["[Watchtower] tcp 9 is still down"], await TickAsync());
        At(Min(61));
        await RunAsync(check, up: false);
        Assert.Empty(await TickAsync());
        At(Min(119));
        Assert.Empty(await TickAsync());
        At(Min(120.5));
        Assert.Equal(["[Watchtower] tcp 9 is still down"], await TickAsync());

        // Dispatchers stopped for three periods: one reminder when they are back, not a burst.
        At(Min(300.5));
        Assert.Equal(["[Watchtower] tcp 9 is still down"], await TickAsync());
        var last = (await QueryAsync(db => db.AlertEvents.Where(e => e.CheckId == check && e.Type == AlertEventType.CheckStillDown).OrderBy(e => e.Id))).Last();
        Assert.StartsWith("Down for 5 h 0 min, since", last.Message, StringComparison.Ordinal);

        // Recovered: told once, and no reminder after, however long.
        At(Min(310));
        await RunAsync(check, up: true);
        Assert.Equal(["[Watchtower] tcp 9 is up again"], await TickAsync());
        At(Min(430));
        Assert.Empty(await TickAsync());
        At(Min(600));
        Assert.Empty(await TickAsync());
        Assert.Equal(3, (await QueryAsync(db => db.AlertEvents.Where(e => e.CheckId == check && e.Type == AlertEventType.CheckStillDown))).Count);
    }

    [Fact]
    public async Task With_an_alert_delay_a_down_is_told_only_after_it_and_a_recovery_within_it_tells_nothing()
    {
        var check = await CheckAsync(9, delayMinutes: 5);
        await StartAsync(check);

        // Down, and up again after four minutes: nobody is told either.
        await RunAsync(check, up: false);
        Assert.Empty(await TickAsync());
        At(Min(4));
        Assert.Empty(await TickAsync());
        await RunAsync(check, up: true);
        Assert.Empty(await TickAsync());
        At(Min(6));
        Assert.Empty(await TickAsync());
        var cancelled = Assert.Single(await QueryAsync(db => db.AlertDeliveries.Where(d => d.CheckId == check)));
        Assert.Equal(DeliveryStatus.Cancelled, cancelled.Status);
        Assert.Equal("Not sent: the check was up again within its alert delay.", cancelled.ResultMessage);

        // Down for longer than the delay: told when it has passed, not before; then its recovery.
        At(Min(20));
        await RunAsync(check, up: false);
        At(Min(24.9));
        await RunAsync(check, up: false);
        Assert.Empty(await TickAsync());
        At(Min(25));
        Assert.Equal(["[Watchtower] tcp 9 is down"], await TickAsync());
        At(Min(27));
        await RunAsync(check, up: true);
        Assert.Equal(["[Watchtower] tcp 9 is up again"], await TickAsync());
        At(Min(60));
        Assert.Empty(await TickAsync());
        Assert.Empty(await QueryAsync(db => db.AlertEvents.Where(e => e.CheckId == check && e.Type == AlertEventType.CheckFlapping)));
    }
}
