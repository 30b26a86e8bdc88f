using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

/// <summary>
/// A check's page after runs: raw results keep only verdicts, yet the owner still sees the latest
/// run's full facts, the recent runs with the message of each that was not up, and every state
/// change with the facts of the run that caused it.
/// </summary>
public abstract class CheckHistoryTests(AppFixture fixture)
{
    [Fact]
    public async Task The_check_page_shows_the_latest_facts_the_recent_runs_and_the_facts_behind_each_change()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        await using var listener = new LoopbackListener();
        var port = listener.Port.ToString(CultureInfo.InvariantCulture);
        var form = OwnerSteps.CheckForm("Database", port: port);
        form["Input.FailureThreshold"] = "1";
        var id = await owner.CreateCheckAsync(form);

        await RunAsync(app, id); // up
        await listener.StopAsync();
        await RunAsync(app, id); // down: refused
        await RunAsync(app, id); // still down

        var page = await owner.GetAsync($"/Checks/{id}");

        Assert.Equal("refused", page.Text("#latest-reason"));
        Assert.Equal($"127.0.0.1:{port}", page.Text("#latest-endpoint"));
        Assert.Contains("total", page.Text("#latest-timings"), StringComparison.Ordinal);
        Assert.Contains($"Connection refused on port {port}", page.Text("#latest-message"), StringComparison.Ordinal);

        var runs = page.Document.QuerySelectorAll("#results-table tbody tr")
            .Select(tr => (Result: tr.QuerySelector("[data-label=Result]")!.TextContent.Trim(), Details: tr.QuerySelector("[data-label=Details]")!.TextContent.Trim()))
            .ToList();
        Assert.Equal(3, runs.Count);
        Assert.All(runs.Take(2), run => Assert.Equal(("Down", $"Connection refused on port {port}."), run));
        Assert.Equal(("Operational", "—"), runs[2]);

        // Newest first: up → down with the refused run's facts, then pending → up with the connected run's.
        var changes = page.Document.QuerySelectorAll("#state-changes > li").ToList();
        Assert.Equal(2, changes.Count);
        Assert.Contains("Operational → Down", changes[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("refused", changes[0].QuerySelector("details [id$=-reason]")?.TextContent);
        Assert.Equal($"127.0.0.1:{port}", changes[0].QuerySelector("details [id$=-endpoint]")?.TextContent);
        Assert.Contains("Pending → Operational", changes[1].TextContent, StringComparison.Ordinal);
        Assert.Null(changes[1].QuerySelector("details [id$=-reason]"));
        Assert.Contains("connect", changes[1].QuerySelector("details [id$=-timings]")?.TextContent, StringComparison.Ordinal);
    }

    private static async Task RunAsync(WatchtowerApp app, int id)
    {
        await app.Services.GetRequiredService<Watchtower.Monitoring.Engine.ProbeEngine>().RunNowAsync([id], TestContext.Current.CancellationToken);
    }
}

public sealed class CheckHistoryTests_Sqlite(SqliteAppFixture fixture) : CheckHistoryTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class CheckHistoryTests_Postgres(PostgresAppFixture fixture) : CheckHistoryTests(fixture), IClassFixture<PostgresAppFixture>;
