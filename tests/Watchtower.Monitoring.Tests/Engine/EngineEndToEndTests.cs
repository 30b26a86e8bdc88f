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

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        Check upNow, downNow;
        do
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
            upNow = await ReloadAsync(up.Id);
            downNow = await ReloadAsync(down.Id);
        }
        while ((upNow.LastCheckedAt is null || downNow.LastCheckedAt is null) && DateTimeOffset.UtcNow < deadline);

        Assert.Equal(CheckState.Up, upNow.State);
        Assert.Equal(CheckState.Down, downNow.State);
        Assert.True(listener.Accepted >= 1, "the probe should really have connected to the listener");
        Assert.True(upNow.NextRunAt > up.NextRunAt, "the dispatcher should have moved the next run forward");
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
