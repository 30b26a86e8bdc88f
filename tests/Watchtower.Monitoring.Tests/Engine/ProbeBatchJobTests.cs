using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Probes;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Engine;

public abstract class ProbeBatchJobTests : EngineTestBase
{
    private async Task RunBatchAsync(params int[] ids)
    {
        await App.Services.GetRequiredService<ProbeEngine>().RunNowAsync(ids, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_batch_probes_each_check_stores_results_and_moves_state()
    {
        await using var listener = new LoopbackListener();
        var open = await AddCheckAsync(listener.Port, DateTimeOffset.UtcNow);
        var closed = await AddCheckAsync(ClosedPort(), DateTimeOffset.UtcNow);

        await RunBatchAsync(open.Id, closed.Id);

        var up = await ReloadAsync(open.Id);
        Assert.Equal(CheckState.Up, up.State);
        Assert.NotNull(up.LastCheckedAt);
        Assert.NotNull(up.LastLatencyMs);
        var down = await ReloadAsync(closed.Id);
        Assert.Equal(CheckState.Down, down.State);
        Assert.Equal(FailureReason.Refused, down.LastReason);
        Assert.Contains("refused", down.LastMessage, StringComparison.OrdinalIgnoreCase);

        // The raw rows hold the verdict; the full facts of the run are on the check.
        var results = await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == open.Id || r.CheckId == closed.Id));
        Assert.Equal(2, results.Count);
        var openResult = results.Single(r => r.CheckId == open.Id);
        Assert.Equal((CheckState.Up, FailureReason.None, up.LastLatencyMs, (int?)null, up.LastCheckedAt),
            (openResult.Status, openResult.Reason, openResult.LatencyMs, openResult.MessageId, (DateTimeOffset?)openResult.CheckedAt));
        var facts = ResultFacts.Parse(up.LastFacts);
        Assert.Equal($"127.0.0.1:{listener.Port}", facts?.RemoteEndpoint);
        Assert.NotNull(facts?.Timings?.ConnectMs);
        var closedResult = results.Single(r => r.CheckId == closed.Id);
        Assert.Equal((CheckState.Down, FailureReason.Refused, (int?)null), (closedResult.Status, closedResult.Reason, closedResult.LatencyMs));
        Assert.Equal(down.LastMessage, Assert.Single(await QueryAsync(db => db.ResultMessages.Where(m => m.Id == closedResult.MessageId))).Text);

        var changes = await QueryAsync(db => db.CheckStateChanges.Where(s => s.CheckId == open.Id || s.CheckId == closed.Id));
        Assert.Contains(changes, s => s.CheckId == open.Id && s.To == CheckState.Up);
        // A change keeps the facts of the run that caused it.
        var wentDown = Assert.Single(changes, s => s.CheckId == closed.Id && s.To == CheckState.Down);
        Assert.Equal((FailureReason.Refused, down.LastMessage), (ResultFacts.Parse(wentDown.Facts)?.Reason, wentDown.Reason));
        Assert.Equal(down.LastFacts, wentDown.Facts);
    }

    [Fact]
    public async Task A_check_that_stays_down_stores_its_message_once()
    {
        var check = await AddCheckAsync(ClosedPort(), DateTimeOffset.UtcNow);

        await RunBatchAsync(check.Id);
        await RunBatchAsync(check.Id);
        await RunBatchAsync(check.Id);

        var results = await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == check.Id).OrderBy(r => r.CheckedAt));
        Assert.Equal(3, results.Count);
        var messageId = Assert.Single(results.Select(r => r.MessageId).Distinct());
        var message = Assert.Single(await QueryAsync(db => db.ResultMessages.Where(m => m.Id == messageId)));
        Assert.Equal((await ReloadAsync(check.Id)).LastMessage, message.Text);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.InRange(message.LastUsedOn, today.AddDays(-1), today); // marked used on the day of the run
        // One state change (pending → down), with its run's facts; the later runs change nothing.
        var change = Assert.Single(await QueryAsync(db => db.CheckStateChanges.Where(s => s.CheckId == check.Id)));
        Assert.Equal(results[0].CheckedAt, change.At);
        Assert.StartsWith("127.0.0.1:", ResultFacts.Parse(change.Facts)?.RemoteEndpoint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirmation_needs_consecutive_failures_before_down()
    {
        await using var listener = new LoopbackListener();
        var check = await AddCheckAsync(listener.Port, DateTimeOffset.UtcNow, failureThreshold: 2);
        await RunBatchAsync(check.Id);
        Assert.Equal(CheckState.Up, (await ReloadAsync(check.Id)).State);

        await listener.StopAsync();
        await RunBatchAsync(check.Id);
        var afterOne = await ReloadAsync(check.Id);
        Assert.Equal(CheckState.Up, afterOne.State);
        Assert.Equal(1, afterOne.ConsecutiveFailures);

        await RunBatchAsync(check.Id);
        Assert.Equal(CheckState.Down, (await ReloadAsync(check.Id)).State);
        Assert.Equal(3, (await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == check.Id))).Count);
    }

    [Fact]
    public async Task While_a_recovery_is_confirmed_the_public_sentence_still_explains_the_outage()
    {
        await using var listener = new LoopbackListener();
        var closedPort = ClosedPort();
        var check = await AddCheckAsync(closedPort, DateTimeOffset.UtcNow);
        await ChangeAsync(check.Id, stored => stored.RecoveryThreshold = 2);

        await RunBatchAsync(check.Id);
        var down = await ReloadAsync(check.Id);
        Assert.Equal(CheckState.Down, down.State);
        Assert.Equal("Connection refused", down.LastPublicMessage);

        // The service comes back (here: the check now points at a live port).
        await ChangeAsync(check.Id, stored => stored.Settings = stored.Tcp! with { Port = listener.Port });

        await RunBatchAsync(check.Id);
        var recovering = await ReloadAsync(check.Id);
        Assert.Equal(CheckState.Down, recovering.State);
        Assert.Equal(CheckState.Up, (await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == check.Id).OrderByDescending(r => r.CheckedAt))).First().Status);
        Assert.Equal("Connection refused", recovering.LastPublicMessage);

        await RunBatchAsync(check.Id);
        var up = await ReloadAsync(check.Id);
        Assert.Equal(CheckState.Up, up.State);
        Assert.Equal("Operational", up.LastPublicMessage);
    }

    [Fact]
    public async Task A_check_deleted_while_its_batch_ran_does_not_lose_the_others()
    {
        await using var listener = new LoopbackListener();
        using var blackhole = new BlackholeListener();
        var kept = await AddCheckAsync(listener.Port, DateTimeOffset.UtcNow);
        var deleted = await AddCheckAsync(listener.Port, DateTimeOffset.UtcNow);
        // Holds the batch open for its 6 s timeout, so the delete lands while the batch runs.
        var slow = await AddCheckAsync(blackhole.Port, DateTimeOffset.UtcNow, timeoutSeconds: 6);

        var running = RunBatchAsync(kept.Id, deleted.Id, slow.Id);
        await Task.Delay(700, TestContext.Current.CancellationToken);
        Assert.False(running.IsCompleted, "the batch should still be waiting on the slow check");
        await ChangeAsync(deleted.Id, (_, db, stored) => db.Checks.Remove(stored));

        await running;

        Assert.Equal(CheckState.Up, (await ReloadAsync(kept.Id)).State);
        var slowNow = await ReloadAsync(slow.Id);
        Assert.Equal(CheckState.Down, slowNow.State);
        Assert.Equal(FailureReason.Timeout, slowNow.LastReason);
        Assert.Single(await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == kept.Id)));
        Assert.Empty(await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == deleted.Id)));
    }

    [Fact]
    public async Task After_a_failure_the_next_run_comes_after_the_retry_interval()
    {
        var check = await AddCheckAsync(ClosedPort(), DateTimeOffset.UtcNow, failureThreshold: 2);
        await ChangeAsync(check.Id, stored =>
        {
            stored.RetryIntervalSeconds = 15;
            stored.NextRunAt = DateTimeOffset.UtcNow.AddSeconds(60); // as the dispatcher left it
        });

        await RunBatchAsync(check.Id);

        var after = await ReloadAsync(check.Id);
        Assert.Equal(CheckState.Pending, after.State); // one failure of two: not yet confirmed
        // The retry comes 15 s after the failure, or sooner when the check's own next slot is sooner.
        var slot = Schedule.NextSlot(check.Id, after.IntervalSeconds, after.LastCheckedAt!.Value);
        var retry = after.LastCheckedAt!.Value.AddSeconds(15);
        Assert.InRange(after.NextRunAt, (slot < retry ? slot : retry).AddSeconds(-1), (slot < retry ? slot : retry).AddSeconds(1));
        Assert.True(after.NextRunAt < DateTimeOffset.UtcNow.AddSeconds(16), "the retry should not wait for the 60 s the dispatcher left");
        Assert.Equal("Connection refused", after.LastPublicMessage);
    }

    [Fact]
    public async Task A_service_check_stores_what_the_service_said()
    {
        await using var listener = new ScriptedListener(ListenerScript.Say, System.Text.Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2p1 Debian\r\n"));
        var check = await AddCheckAsync(listener.Port, DateTimeOffset.UtcNow);
        await ChangeAsync(check.Id, stored => stored.Settings = stored.Tcp! with { Service = Watchtower.Probes.Tcp.TcpService.Ssh });

        await RunBatchAsync(check.Id);

        var after = await ReloadAsync(check.Id);
        Assert.Equal(CheckState.Up, after.State);
        Assert.StartsWith("SSH server identified itself as OpenSSH_9.2p1", after.LastMessage, StringComparison.Ordinal);
        Assert.Single(await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == check.Id)));
        var facts = ResultFacts.Parse(after.LastFacts);
        Assert.StartsWith("SSH-2.0-OpenSSH_9.2p1", facts?.Banner, StringComparison.Ordinal);
        Assert.NotNull(facts?.Timings?.FirstByteMs);
    }

    [Fact]
    public async Task An_http_check_runs_in_a_batch_and_keeps_its_facts()
    {
        await using var web = await Watchtower.Testing.Servers.TestWebServer.StartAsync();
        var check = await AddCheckAsync(0, DateTimeOffset.UtcNow, timeoutSeconds: 10); // a loaded machine can take seconds for a local HTTP server
        await ChangeAsync(check.Id, stored => stored.Settings = new Watchtower.Probes.Http.HttpSettings { Url = web.HttpBase + "/redirect/1", MustContain = "all is well" });

        await RunBatchAsync(check.Id);

        var after = await ReloadAsync(check.Id);
        Assert.Equal(CheckState.Up, after.State);
        Assert.Single(await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == check.Id)));
        Assert.Contains("\"statusCode\":200", after.LastFacts, StringComparison.Ordinal);
        Assert.Contains("/redirect/1", after.LastFacts, StringComparison.Ordinal);
        Assert.Contains("\"mustContainFound\":true", after.LastFacts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pause_during_a_running_batch_stays_paused_and_the_others_are_saved()
    {
        await using var listener = new LoopbackListener();
        using var blackhole = new BlackholeListener();
        var other = await AddCheckAsync(listener.Port, DateTimeOffset.UtcNow);
        // Holds the batch open for its 6 s timeout, so the owner's pause lands while it runs.
        var paused = await AddCheckAsync(blackhole.Port, DateTimeOffset.UtcNow, timeoutSeconds: 6);

        var running = RunBatchAsync(other.Id, paused.Id);
        await Task.Delay(700, TestContext.Current.CancellationToken);
        Assert.False(running.IsCompleted, "the batch should still be waiting on the slow check");
        await ChangeAsync(paused.Id, (services, _, stored) => services.GetRequiredService<Watchtower.Monitoring.State.CheckRecorder>().Pause(stored, "Paused by the owner"));

        await running;

        var after = await ReloadAsync(paused.Id);
        Assert.Equal((CheckState.Paused, false, 0), (after.State, after.Enabled, after.ConsecutiveFailures));
        Assert.Null(after.LastCheckedAt);
        Assert.Empty(await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == paused.Id)));
        var changes = await QueryAsync(db => db.CheckStateChanges.Where(c => c.CheckId == paused.Id));
        Assert.Equal((CheckState.Pending, CheckState.Paused), (Assert.Single(changes).From, changes[0].To));
        Assert.Equal(CheckState.Up, (await ReloadAsync(other.Id)).State);
        Assert.Single(await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == other.Id)));
    }

    [Fact]
    public async Task A_target_edited_during_a_running_batch_is_not_judged_by_the_old_targets_result()
    {
        await using var listener = new LoopbackListener();
        using var blackhole = new BlackholeListener();
        var check = await AddCheckAsync(blackhole.Port, DateTimeOffset.UtcNow, timeoutSeconds: 6);

        var running = RunBatchAsync(check.Id);
        await Task.Delay(700, TestContext.Current.CancellationToken);
        await ChangeAsync(check.Id, stored => stored.Settings = stored.Tcp! with { Port = listener.Port });
        await running;

        var after = await ReloadAsync(check.Id);
        Assert.Equal(CheckState.Pending, after.State);
        Assert.Equal(listener.Port, after.Tcp!.Port);
        Assert.Empty(await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == check.Id)));
    }

    [Fact]
    public async Task Paused_and_missing_checks_are_skipped()
    {
        var paused = await AddCheckAsync(ClosedPort(), DateTimeOffset.UtcNow, enabled: false);

        await RunBatchAsync(paused.Id, 987_654);

        Assert.Equal(CheckState.Paused, (await ReloadAsync(paused.Id)).State);
        Assert.Empty(await QueryAsync(db => db.CheckResults.Where(r => r.CheckId == paused.Id)));
    }
}

public sealed class ProbeBatchJobTests_Sqlite : ProbeBatchJobTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class ProbeBatchJobTests_Postgres : ProbeBatchJobTests
{
    protected override TestStore Store => TestStore.Postgres;
}
