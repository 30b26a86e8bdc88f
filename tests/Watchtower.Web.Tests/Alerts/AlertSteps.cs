using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Alerts;

internal static class AlertSteps
{
    /// <summary>Fast alert settings for tests: dispatch every 200 ms, retries after 300 ms (doubling), no reminders.</summary>
    public static Dictionary<string, string?> FastAlerts(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Watchtower:Alerts:DispatchInterval"] = "00:00:00.200",
            ["Watchtower:Alerts:RetryBaseDelay"] = "00:00:00.300",
            ["Watchtower:Alerts:ReminderInterval"] = "00:00:00",
            ["Watchtower:Alerts:PublicBaseUrl"] = "http://status.test",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Makes a webhook channel through the form; returns its id and the secret shown once.</summary>
    public static async Task<(int Id, string Secret)> CreateWebhookAsync(this OwnerClient owner, string url, string name = "Ops webhook", bool isDefault = false)
    {
        var fields = new Dictionary<string, string> { ["Input.Kind"] = "Webhook", ["Input.Name"] = name, ["Input.Url"] = url };
        if (isDefault)
        {
            fields["Input.IsDefault"] = "true";
        }

        var page = await owner.PostFormAsync("/Alerts/Create", fields, "/Alerts/Create?kind=Webhook");
        Assert.True(page.Status == HttpStatusCode.OK, $"expected the secret page, got {page.Status}: {page.Text(".field-error, .errors")}");
        var secret = page.Document.QuerySelector("#webhook-secret")?.GetAttribute("value");
        Assert.NotNull(secret);
        var href = page.Document.QuerySelector("#channel-continue")!.GetAttribute("href")!;
        return (int.Parse(href.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture), secret);
    }

    public static async Task<int> CreateEmailChannelAsync(this OwnerClient owner, string addresses, string name = "On-call email")
    {
        var page = await owner.PostFormAsync("/Alerts/Create", new() { ["Input.Kind"] = "Email", ["Input.Name"] = name, ["Input.Addresses"] = addresses });
        Assert.True(page.Status == HttpStatusCode.Redirect, $"expected a redirect, got {page.Status}: {page.Text(".field-error, .errors")}");
        return int.Parse(page.Location!.OriginalString.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Standard Webhooks: v1,base64(HMAC-SHA256(base64-decoded secret, "id.timestamp.body")).</summary>
    public static string ExpectedSignature(string secret, string id, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    /// <summary>Writes an event with one delivery per channel, as the recorder does, and returns the event's id.</summary>
    public static async Task<long> AddEventAsync(WatchtowerApp app, int teamId, int? checkId, IEnumerable<int> channelIds, AlertEventType type = AlertEventType.CheckDown, string? key = null)
    {
        await using var scope = app.CreateScope(out var db);
        var now = DateTimeOffset.UtcNow;
        var alert = new AlertEvent
        {
            TeamId = teamId, CheckId = checkId, Type = type, Key = key ?? $"test-event:{Guid.NewGuid():N}", At = now, CheckName = "Mail server",
            State = CheckState.Down, PreviousState = CheckState.Up, Message = "Connection refused by 127.0.0.1:25",
        };
        db.AlertEvents.Add(alert);
        Watchtower.Monitoring.Alerts.AlertRecorder.AddDeliveries(db, alert, channelIds, now);
        await db.SaveChangesAsync();
        return alert.Id;
    }

    public static async Task<List<AlertDelivery>> DeliveriesAsync(WatchtowerApp app, long eventId)
    {
        await using var scope = app.CreateScope(out var db);
        return await db.AlertDeliveries.AsNoTracking().Where(d => d.EventId == eventId).ToListAsync();
    }

    public static async Task<AlertDelivery> WaitForDeliveryAsync(WatchtowerApp app, long eventId, Func<AlertDelivery, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var delivery = (await DeliveriesAsync(app, eventId)).Single();
            if (done(delivery))
            {
                return delivery;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Delivery of event {eventId} is {delivery.Status} after {delivery.Attempts} attempts ({delivery.ResultCode}: {delivery.ResultMessage})");
            }

            await Task.Delay(100);
        }
    }

    public static async Task<int> TeamOfAsync(WatchtowerApp app, string email)
    {
        await using var scope = app.CreateScope(out var db);
        return await db.TeamMembers.Where(m => m.User!.Email == email).Select(m => m.TeamId).FirstAsync();
    }
}
