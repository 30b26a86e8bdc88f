using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Engine;

/// <summary>
/// The whole engine in a running host: dispatcher → Hangfire (in-memory or PostgreSQL storage)
/// → batch job → results and state, with nothing called by hand.
/// </summary>
public abstract class EngineEndToEndTests : EngineTestBase
{
    protected override bool RunEngine => true;

    [Fact]
    public async Task A_due_check_runs_through_hangfire_and_its_state_is_written_back()
    {
        await using var listener = new LoopbackListener();
        var up = await AddCheckAsync(listener.Port, DateTimeOffset.UtcNow);
        var down = await AddCheckAsync(ClosedPort(), DateTimeOffset.UtcNow);

        // Generous: CI runs this beside the other suites and their real servers on two cores. The
        // test is about the path, not its speed (bench/ measures that).
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        Check upNow, downNow;
        do
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
            upNow = await ReloadAsync(up.Id);
            downNow = await ReloadAsync(down.Id);
        }
        while ((upNow.LastCheckedAt is null || downNow.LastCheckedAt is null) && DateTimeOffset.UtcNow < deadline);

        Assert.True(upNow.State == CheckState.Up && downNow.State == CheckState.Down, await EngineStateAsync(upNow, downNow));
        Assert.True(listener.Accepted >= 1, "the probe should really have connected to the listener");
        Assert.True(upNow.NextRunAt > up.NextRunAt, "the dispatcher should have moved the next run forward");
    }

    /// <summary>What the engine did, for a failure message: were the checks claimed, and where are their jobs?</summary>
    private async Task<string> EngineStateAsync(params Check[] checks)
    {
        var stats = App.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().GetStatistics();
        var failed = App.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().FailedJobs(0, 5)
            .Select(j => $"{j.Value.ExceptionType}: {j.Value.ExceptionMessage}");
        var results = await QueryAsync(db => db.CheckResults.Where(r => checks.Select(c => c.Id).Contains(r.CheckId)));
        return $"checks: {string.Join("; ", checks.Select(c => $"#{c.Id} {c.State}, next run {c.NextRunAt:O}, last checked {c.LastCheckedAt:O}"))}; "
            + $"results stored: {results.Count}; hangfire: {stats.Servers} servers, {stats.Enqueued} enqueued, {stats.Processing} processing, "
            + $"{stats.Succeeded} succeeded, {stats.Failed} failed ({string.Join(" | ", failed)}); now {DateTimeOffset.UtcNow:O}";
    }
}

public sealed class EngineEndToEndTests_Sqlite : EngineEndToEndTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class EngineEndToEndTests_Postgres : EngineEndToEndTests
{
    protected override TestStore Store => TestStore.Postgres;
}
