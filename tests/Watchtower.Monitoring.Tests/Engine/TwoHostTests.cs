using System.Diagnostics;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Monitoring.Tests.Engine;

/// <summary>
/// The production shape: the Web host with its Hangfire server off, and a separate Worker
/// process on the same PostgreSQL database that dispatches and runs the probes.
/// </summary>
public sealed class TwoHostTests : EngineTestBase
{
    protected override TestStore Store => TestStore.Postgres;

    [Fact]
    public async Task A_separate_worker_process_runs_the_checks_the_web_host_stored()
    {
        await using var listener = new LoopbackListener();
        var check = await AddCheckAsync(listener.Port, DateTimeOffset.UtcNow);
        var port = ServerProcess.FreePort();
        await using var worker = await ServerProcess.StartAsync("Watchtower.Worker", "dotnet",
            [WorkerDll(), $"--urls=http://127.0.0.1:{port}", $"--ConnectionStrings:Watchtower={App.PostgresConnectionString}",
             "--Watchtower:Probes:AllowPrivateTargets=true", "--Watchtower:Engine:DispatchInterval=00:00:00.500",
             "--Watchtower:Database:MigrateOnStartup=false", $"--contentRoot={Path.GetDirectoryName(WorkerDll())}"],
            port, TimeSpan.FromSeconds(60));

        using var http = new HttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), TestContext.Current.CancellationToken));
        Check now;
        var deadline = DateTime.UtcNow.AddSeconds(45);
        do
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
            now = await ReloadAsync(check.Id);
        }
        while (now.LastCheckedAt is null && DateTime.UtcNow < deadline);

        Assert.True(now.LastCheckedAt is not null, "the worker should have run the check: " + worker.Output);
        Assert.Equal(CheckState.Up, now.State);
        Assert.True(listener.Accepted >= 1);
    }
}
