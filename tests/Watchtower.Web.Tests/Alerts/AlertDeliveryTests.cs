using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Alerts;
using Watchtower.Testing;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Alerts;

/// <summary>
/// The alert outbox end to end on PostgreSQL with the real engine, Hangfire server and a real HTTP
/// receiver on 127.0.0.1: a check going down reaches a signed webhook; retries, refusals and races
/// deliver each message once.
/// </summary>
public sealed class AlertDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(WatchtowerApp App, OwnerClient Owner, int TeamId)> StartAsync(Dictionary<string, string?>? more = null)
    {
        var app = await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Postgres, RunEngine = true, Settings = AlertSteps.FastAlerts(more) },
            TestContext.Current.CancellationToken);
        var owner = await new OwnerClient(app).RegisterAsync();
        return (app, owner, await AlertSteps.TeamOfAsync(app, owner.Email));
    }

    [Fact]
    public async Task A_check_going_down_posts_the_documented_signed_payload_to_the_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (app, owner, _) = await StartAsync();
        await using var _app = app;
        using var _owner = owner;
        var (channelId, secret) = await owner.CreateWebhookAsync(receiver.Url);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        // A TCP check of a port nothing listens on, down after one failed run, alerting through the webhook.
        var form = OwnerSteps.CheckForm(name: "Mail server", port: WebhookReceiver.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), interval: "5", timeout: "2");
        form["Input.FailureThreshold"] = "1";
        form["Input.ChannelsChosen"] = "true";
        form["Input.ChannelIds"] = channelId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var checkId = await owner.CreateCheckAsync(form);

        var request = await receiver.WaitForAsync(r => r.Body.Contains("check.down", StringComparison.Ordinal), TimeSpan.FromSeconds(40));
        var id = request.Headers["webhook-id"];
        var timestamp = request.Headers["webhook-timestamp"];
        Assert.Equal(AlertSteps.ExpectedSignature(secret, id, timestamp, request.Body), request.Headers["webhook-signature"]);
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.StartsWith("application/json", request.Headers["content-type"], StringComparison.Ordinal);

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(["type", "timestamp", "data"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("check.down", root.GetProperty("type").GetString());
        var data = root.GetProperty("data");
        Assert.Equal(["eventId", "title", "message", "state", "previousState", "check"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Mail server is down", data.GetProperty("title").GetString());
        Assert.Equal("down", data.GetProperty("state").GetString());
        Assert.Equal("pending", data.GetProperty("previousState").GetString());
        Assert.Contains("refused", data.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        var check = data.GetProperty("check");
        Assert.Equal(checkId, check.GetProperty("id").GetInt32());
        Assert.Equal("Mail server", check.GetProperty("name").GetString());
        Assert.Equal($"http://status.test/Checks/{checkId}", check.GetProperty("url").GetString());
        Assert.Equal($"msg_{data.GetProperty("eventId").GetInt64()}_{channelId}", id);

        // The delivery log of the channel and of the check say it was sent, with the receiver's answer.
        var log = await owner.GetAsync($"/Alerts/{channelId}");
        Assert.Contains("Sent", log.Text("#delivery-log [data-status=Sent]"), StringComparison.Ordinal);
        Assert.Contains("HTTP 200", log.Text("#delivery-log"), StringComparison.Ordinal);
        var checkPage = await owner.GetAsync($"/Checks/{checkId}");
        Assert.Contains("HTTP 200", checkPage.Text("#delivery-log"), StringComparison.Ordinal);

        // Nothing was posted twice.
        await Task.Delay(1000, Ct);
        Assert.Single(receiver.Requests, r => r.Body.Contains("check.down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_the_message_once_when_it_is_back()
    {
        var port = WebhookReceiver.FreePort();
        var (app, owner, team) = await StartAsync();
        await using var _app = app;
        using var _owner = owner;
        var (channelId, secret) = await owner.CreateWebhookAsync($"http://127.0.0.1:{port}/hook");
        var eventId = await AlertSteps.AddEventAsync(app, team, null, [channelId]);

        var failed = await AlertSteps.WaitForDeliveryAsync(app, eventId, d => d.Attempts >= 2);
        Assert.Equal(DeliveryStatus.Pending, failed.Status); // a passing failure: tried again
        Assert.Equal("unreachable", failed.ResultCode);

        await using var receiver = await WebhookReceiver.StartAsync(port);
        var sent = await AlertSteps.WaitForDeliveryAsync(app, eventId, d => d.Status == DeliveryStatus.Sent, TimeSpan.FromSeconds(60));
        Assert.Equal("HTTP 200", sent.ResultCode);
        await Task.Delay(1500, Ct);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(AlertSteps.ExpectedSignature(secret, request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Body), request.Headers["webhook-signature"]);
    }

    [Fact]
    public async Task A_receiver_answering_503_is_retried_with_backoff_and_410_is_not_retried_and_marks_the_channel_failing()
    {
        await using var receiver = await WebhookReceiver.StartAsync(status: 503);
        var (app, owner, team) = await StartAsync(new() { ["Watchtower:Alerts:FailingAfter"] = "2" });
        await using var _app = app;
        using var _owner = owner;
        var (channelId, _) = await owner.CreateWebhookAsync(receiver.Url);

        // 503 twice, then 200: delivered once, on the third attempt, each attempt later than the last.
        var retried = await AlertSteps.AddEventAsync(app, team, null, [channelId]);
        await AlertSteps.WaitForDeliveryAsync(app, retried, d => d.Attempts >= 2);
        receiver.Status = 200;
        var sent = await AlertSteps.WaitForDeliveryAsync(app, retried, d => d.Status == DeliveryStatus.Sent);
        Assert.True(sent.Attempts >= 3, $"attempts {sent.Attempts}");
        Assert.Single(receiver.Requests, r => r.Answered == 200);
        var answered = receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct().ToList();
        Assert.Single(answered); // every retry carries the same webhook-id

        // 410 Gone: failed for good after one attempt; twice in a row marks the channel failing.
        receiver.Status = 410;
        var before = receiver.Requests.Count;
        var gone1 = await AlertSteps.AddEventAsync(app, team, null, [channelId]);
        var first = await AlertSteps.WaitForDeliveryAsync(app, gone1, d => d.Status != DeliveryStatus.Pending);
        Assert.Equal(DeliveryStatus.Failed, first.Status);
        Assert.Equal("HTTP 410", first.ResultCode);
        var gone2 = await AlertSteps.AddEventAsync(app, team, null, [channelId]);
        await AlertSteps.WaitForDeliveryAsync(app, gone2, d => d.Status == DeliveryStatus.Failed);
        await Task.Delay(2000, Ct); // several backoff periods: nothing is tried again
        Assert.Equal(before + 2, receiver.Requests.Count);
        Assert.Equal(1, (await AlertSteps.DeliveriesAsync(app, gone1)).Single().Attempts);

        var dashboard = await owner.GetAsync("/Dashboard");
        Assert.Contains("Ops webhook", dashboard.Text($"#channel-failing-{channelId}"), StringComparison.Ordinal);
        Assert.Contains("HTTP 410", dashboard.Text($"#channel-failing-{channelId}"), StringComparison.Ordinal);
        var channelPage = await owner.GetAsync($"/Alerts/{channelId}");
        Assert.NotEmpty(channelPage.Text("#channel-failing"));
    }

    [Fact]
    public async Task The_same_change_recorded_twice_and_two_dispatch_passes_at_once_deliver_each_message_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (app, owner, team) = await StartAsync(new() { ["Watchtower:Alerts:RunDispatcher"] = "false", ["Watchtower:Alerts:BatchSize"] = "7" });
        await using var _app = app;
        using var _owner = owner;
        var (channelId, _) = await owner.CreateWebhookAsync(receiver.Url);
        var checkId = await owner.CreateCheckAsync(OwnerSteps.CheckForm(interval: "3600"));

        // The recorder's hook sees the same transition twice (a batch recorded twice): one event, one delivery.
        await using (var scope = app.CreateScope(out var db))
        {
            db.CheckChannels.Add(new CheckChannel { CheckId = checkId, ChannelId = channelId });
            await db.SaveChangesAsync(Ct);
        }

        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < 2; i++)
        {
            await using var scope = app.CreateScope(out var db);
            var check = await db.Checks.SingleAsync(c => c.Id == checkId, Ct);
            var hook = scope.ServiceProvider.GetServices<Watchtower.Monitoring.State.IStateChangeHook>().OfType<AlertRecorder>().Single();
            hook.OnStateChanged(check, new CheckStateChange { CheckId = checkId, At = at, From = CheckState.Up, To = CheckState.Down, Reason = "Connection refused" });
            await db.SaveChangesAsync(Ct);
        }

        // A second writer of the same key loses at the unique index.
        await using (var scope = app.CreateScope(out var db))
        {
            db.AlertEvents.Add(new AlertEvent
            {
                TeamId = team, CheckId = checkId, Type = AlertEventType.CheckDown, Key = AlertRecorder.KeyOf(checkId, AlertEventType.CheckDown, at),
                At = at, CheckName = "x", Message = "x",
            });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        }

        // 40 more events; then two dispatch passes at once, and one batch job run twice.
        for (var i = 0; i < 40; i++)
        {
            await AlertSteps.AddEventAsync(app, team, null, [channelId]);
        }

        var dispatcher = app.Services.GetRequiredService<AlertDispatcher>();
        var passes = await Task.WhenAll(dispatcher.DispatchOnceAsync(Ct), dispatcher.DispatchOnceAsync(Ct));
        Assert.Equal(41, passes.Sum());

        int stillPending;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(200, Ct);
            await using var scope = app.CreateScope(out var db);
            stillPending = await db.AlertDeliveries.CountAsync(d => d.Status == DeliveryStatus.Pending, Ct);
        }
        while (stillPending > 0 && DateTime.UtcNow < deadline);
        Assert.Equal(0, stillPending);

        // Run a job again with a lease it already used: it finds the rows taken and sends nothing.
        await using (var scope = app.CreateScope(out _))
        {
            var job = scope.ServiceProvider.GetRequiredService<AlertDeliveryJob>();
            Assert.Equal(0, await job.RunAsync(Guid.NewGuid(), Ct));
        }

        await Task.Delay(500, Ct);
        var ids = receiver.Requests.Select(r => r.Headers["webhook-id"]).ToList();
        Assert.Equal(41, ids.Count);
        Assert.Equal(41, ids.Distinct().Count());
        await using (var scope = app.CreateScope(out var db))
        {
            Assert.Equal(1, await db.AlertEvents.CountAsync(e => e.CheckId == checkId, Ct));
            Assert.Equal(41, await db.AlertDeliveries.CountAsync(d => d.Status == DeliveryStatus.Sent && d.Attempts == 1, Ct));
        }
    }

    [Fact]
    public async Task Two_jobs_running_the_same_lease_at_once_send_each_message_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (app, owner, team) = await StartAsync(new() { ["Watchtower:Alerts:RunDispatcher"] = "false" });
        await using var _app = app;
        using var _owner = owner;
        var (channelId, _) = await owner.CreateWebhookAsync(receiver.Url);
        for (var i = 0; i < 20; i++)
        {
            await AlertSteps.AddEventAsync(app, team, null, [channelId]);
        }

        Guid lease;
        await using (var scope = app.CreateScope(out _))
        {
            (lease, var count) = await scope.ServiceProvider.GetRequiredService<IDeliveryClaimer>().ClaimAsync(DateTimeOffset.UtcNow, 100, TimeSpan.FromMinutes(3), Ct);
            Assert.Equal(20, count);
        }

        await using var a = app.Services.CreateAsyncScope();
        await using var b = app.Services.CreateAsyncScope();
        var sent = await Task.WhenAll(
            a.ServiceProvider.GetRequiredService<AlertDeliveryJob>().RunAsync(lease, Ct),
            b.ServiceProvider.GetRequiredService<AlertDeliveryJob>().RunAsync(lease, Ct));
        Assert.Equal(20, sent.Sum());
        Assert.Equal(20, receiver.Requests.Count);
        Assert.Equal(20, receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct().Count());
    }
}
