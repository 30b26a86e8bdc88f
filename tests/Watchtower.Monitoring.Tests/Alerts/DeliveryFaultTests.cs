using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Alerts;
using Watchtower.Monitoring.Tests.Engine;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Monitoring.Tests.Alerts;

/// <summary>
/// The alert outbox across Worker processes on one PostgreSQL database: a Worker killed (SIGKILL)
/// while a webhook receiver holds its request open, and a new Worker that sends the message again
/// once the lease runs out — once more, with the same webhook-id, the interrupted attempt counted;
/// and two Workers sharing pending deliveries, each message sent once.
/// </summary>
public sealed class DeliveryFaultTests : EngineTestBase
{
    /// <summary>The shortest lease the options allow: how long a killed Worker's deliveries wait.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    protected override TestStore Store => TestStore.Postgres;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> WebhookAsync(string url)
    {
        await using var scope = App.CreateScope(out var db);
        var secrets = scope.ServiceProvider.GetRequiredService<ChannelSecrets>();
        var channel = new NotificationChannel
        {
            TeamId = TeamId, Name = "Ops webhook", Kind = ChannelKind.Webhook, Url = url, UrlHint = "127.0.0.1",
            ProtectedSecret = secrets.Protect(ChannelSecrets.NewWebhookSecret()), CreatedAt = DateTimeOffset.UtcNow,
        };
        db.NotificationChannels.Add(channel);
        await db.SaveChangesAsync(Ct);
        return channel.Id;
    }

    private async Task<long> EventAsync(int channelId, int n)
    {
        await using var scope = App.CreateScope(out var db);
        var now = DateTimeOffset.UtcNow;
        var alert = new AlertEvent
        {
            TeamId = TeamId, Type = AlertEventType.CheckDown, Key = $"fault-test:{Guid.NewGuid():N}", At = now, CheckName = $"Mail server {n}",
            State = CheckState.Down, PreviousState = CheckState.Up, Message = "Connection refused by 127.0.0.1:25",
        };
        db.AlertEvents.Add(alert);
        AlertRecorder.AddDeliveries(db, alert, [channelId], now);
        await db.SaveChangesAsync(Ct);
        return alert.Id;
    }

    private async Task<List<AlertDelivery>> DeliveriesAsync(int channelId)
    {
        await using var scope = App.CreateScope(out var db);
        return await db.AlertDeliveries.AsNoTracking().Where(d => d.ChannelId == channelId).OrderBy(d => d.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task A_worker_killed_mid_delivery_leaves_the_message_to_the_next_worker_which_sends_it_once_more_with_the_same_webhook_id()
    {
        await using var receiver = await HoldingReceiver.StartAsync(hold: true);
        var channel = await WebhookAsync(receiver.Url);
        await EventAsync(channel, 1);

        // The first Worker sends; the receiver holds the request open; the Worker is killed mid-send.
        var first = await StartWorkerAsync();
        var held = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(60));
        var inFlight = Assert.Single(await DeliveriesAsync(channel));
        Assert.Equal((DeliveryStatus.Pending, AlertDeliveryJob.SendingCode, 0), (inFlight.Status, inFlight.ResultCode, inFlight.Attempts));
        Assert.NotNull(inFlight.LeaseId);
        var leaseEnds = inFlight.NextAttemptAt;
        await first.DisposeAsync(); // SIGKILL
        Assert.Single(receiver.Requests);
        receiver.Hold = false;

        // A new Worker: nothing until the killed one's lease runs out, then the message once more.
        await using var second = await StartWorkerAsync();
        var again = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(60));
        Assert.True(again.At >= leaseEnds.AddMilliseconds(-500), $"sent again at {again.At:O}, before the lease ran out at {leaseEnds:O}");
        Assert.Equal(held.Headers["webhook-id"], again.Headers["webhook-id"]);
        Assert.Equal(held.Body, again.Body);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        AlertDelivery delivery;
        while ((delivery = Assert.Single(await DeliveriesAsync(channel))).Status == DeliveryStatus.Pending && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
        }

        // The log: sent, after two attempts (the interrupted one counted), with the receiver's answer.
        Assert.Equal((DeliveryStatus.Sent, 2, "HTTP 200"), (delivery.Status, delivery.Attempts, delivery.ResultCode));
        Assert.Null(delivery.LeaseId);
        await Task.Delay(3000, Ct);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task Two_workers_sharing_pending_deliveries_send_each_once()
    {
        await using var receiver = await HoldingReceiver.StartAsync(hold: false);
        var channel = await WebhookAsync(receiver.Url);
        await using var first = await StartWorkerAsync();
        await using var second = await StartWorkerAsync();

        // 120 messages written while both Workers are dispatching, in several waves.
        for (var i = 0; i < 120; i++)
        {
            await EventAsync(channel, i);
            if (i % 30 == 29)
            {
                await Task.Delay(300, Ct);
            }
        }

        await receiver.WaitForAsync(120, TimeSpan.FromSeconds(90));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await DeliveriesAsync(channel)).Any(d => d.Status != DeliveryStatus.Sent) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
        }

        await Task.Delay(2000, Ct);
        var ids = receiver.Requests.Select(r => r.Headers["webhook-id"]).ToList();
        Assert.Equal(120, ids.Count);
        Assert.Equal(120, ids.Distinct().Count());
        var deliveries = await DeliveriesAsync(channel);
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Sent, 1), (d.Status, d.Attempts)));
        Assert.Equal(deliveries.Select(d => WebhookChannelSender.MessageId(d)).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    private async Task<ServerProcess> StartWorkerAsync()
    {
        var port = ServerProcess.FreePort();
        return await ServerProcess.StartAsync("Watchtower.Worker", "dotnet",
            [WorkerDll(), $"--urls=http://127.0.0.1:{port}", $"--ConnectionStrings:Watchtower={App.PostgresConnectionString}",
             "--Watchtower:Probes:AllowPrivateTargets=true",
             "--Watchtower:Alerts:DispatchInterval=00:00:00.200", $"--Watchtower:Alerts:LeaseDuration={Lease}",
             "--Watchtower:Alerts:SendTimeout=00:01:00", "--Watchtower:Alerts:BatchSize=10",
             "--Watchtower:Engine:CatchUpAfter=00:10:00",
             "--Watchtower:Database:MigrateOnStartup=false", $"--contentRoot={Path.GetDirectoryName(WorkerDll())}"],
            port, TimeSpan.FromSeconds(60));
    }
}
