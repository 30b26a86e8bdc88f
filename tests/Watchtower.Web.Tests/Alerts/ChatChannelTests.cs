using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Alerts;
using Watchtower.Testing;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Alerts;

/// <summary>
/// Microsoft Teams, Telegram, ntfy and PagerDuty channels end to end on PostgreSQL: made through the
/// form, sent by the real delivery job to real HTTP servers on 127.0.0.1 that answer as each service
/// does (Telegram's and PagerDuty's API bases are settings), with the exact documented payloads.
/// </summary>
public sealed class ChatChannelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset At = new(2026, 12, 3, 16, 38, 50, 123, TimeSpan.Zero);

    private const string TelegramToken = "123456789:AAF1kQ3tTestTokenFor_Watchtower-0123";
    private const string RoutingKey = "R0UT1NGKEY0123456789abcdefABCDEF";
    private const string NtfyToken = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";

    private static async Task<(WatchtowerApp App, OwnerClient Owner, int TeamId)> StartAsync(WebhookReceiver receiver, CapturedLogs? logs = null)
    {
        var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Store = TestStore.Postgres,
            Settings = AlertSteps.FastAlerts(new()
            {
                ["Watchtower:Alerts:RunDispatcher"] = "false", // each test runs the delivery job itself
                ["Watchtower:Alerts:TelegramApiBase"] = receiver.Base,
                ["Watchtower:Alerts:PagerDutyApiBase"] = receiver.Base + "/pd",
            }),
            ConfigureServices = logs is null ? null : services => services.AddSingleton<ILoggerFactory>(new LoggerFactory([logs], new LoggerFilterOptions { MinLevel = LogLevel.Trace })),
        }, Ct);
        var owner = await new OwnerClient(app).RegisterAsync();
        return (app, owner, await AlertSteps.TeamOfAsync(app, owner.Email));
    }

    /// <summary>Makes a channel through the form; returns its id.</summary>
    private static async Task<int> CreateAsync(OwnerClient owner, string kind, Dictionary<string, string> fields)
    {
        fields["Input.Kind"] = kind;
        fields.TryAdd("Input.Name", $"{kind} alerts");
        var page = await owner.PostFormAsync("/Alerts/Create", fields, $"/Alerts/Create?kind={kind}");
        Assert.True(page.Status == HttpStatusCode.Redirect, $"expected a redirect, got {page.Status}: {page.Text(".field-error, .errors")}");
        return int.Parse(page.Location!.OriginalString.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static async Task<long> AddEventAsync(WatchtowerApp app, int team, int checkId, int channelId, AlertEventType type,
        string name = "Mail server", string message = "Connection refused by 127.0.0.1:25")
    {
        await using var scope = app.CreateScope(out var db);
        var (state, previous) = type == AlertEventType.CheckRecovered ? (CheckState.Up, CheckState.Down) : (CheckState.Down, CheckState.Up);
        var alert = new AlertEvent
        {
            TeamId = team, CheckId = checkId, Type = type, Key = $"chat:{Guid.NewGuid():N}", At = At, CheckName = name,
            State = state, PreviousState = previous, Message = message,
        };
        db.AlertEvents.Add(alert);
        AlertRecorder.AddDeliveries(db, alert, [channelId], DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(Ct);
        return alert.Id;
    }

    /// <summary>Leases the event's pending delivery and runs the real job on it; returns the delivery as it ended.</summary>
    private static async Task<AlertDelivery> DeliverAsync(WatchtowerApp app, long eventId)
    {
        await using (var scope = app.CreateScope(out var db))
        {
            var lease = Guid.NewGuid();
            await db.AlertDeliveries.Where(d => d.EventId == eventId && d.Status == DeliveryStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseId, lease).SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow.AddMinutes(1)), Ct);
            await scope.ServiceProvider.GetRequiredService<AlertDeliveryJob>().RunAsync(lease, Ct);
        }

        return (await AlertSteps.DeliveriesAsync(app, eventId)).Single();
    }

    /// <summary>The same JSON, property order included (both sides normalised by one serializer).</summary>
    private static void AssertJson(string expected, string actual) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), JsonNode.Parse(actual)!.ToJsonString());

    [Fact]
    public async Task Teams_gets_the_adaptive_card_message_for_down_and_recovered()
    {
        await using var receiver = await WebhookReceiver.StartAsync(status: 202);
        var (app, owner, team) = await StartAsync(receiver);
        await using var _app = app;
        using var _owner = owner;
        var hook = receiver.Base + "/workflows/a1b2c3/triggers/manual/paths/invoke?sig=s3cr3t-signature";
        var channel = await CreateAsync(owner, "Teams", new() { ["Input.Url"] = hook });
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm(interval: "3600"));

        var down = await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckDown));
        Assert.Equal((DeliveryStatus.Sent, "HTTP 202"), (down.Status, down.ResultCode));
        var up = await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckRecovered));
        Assert.Equal(DeliveryStatus.Sent, up.Status);

        var requests = receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("/workflows/a1b2c3/triggers/manual/paths/invoke", r.Path));
        Assert.All(requests, r => Assert.StartsWith("application/json", r.Headers["content-type"], StringComparison.Ordinal));
        string Card(string title, string color, string state) => $$$"""
            {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{
              "$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4",
              "body":[
                {"type":"TextBlock","text":"{{{title}}}","weight":"Bolder","size":"Medium","color":"{{{color}}}","wrap":true},
                {"type":"TextBlock","text":"Connection refused by 127.0.0.1:25","wrap":true},
                {"type":"FactSet","facts":[{"title":"When","value":"2026-12-03 16:38 UTC"},{"title":"State","value":"{{{state}}}"}]}],
              "actions":[{"type":"Action.OpenUrl","title":"Open check","url":"http://status.test/Checks/{{{check}}}"}]}}]}
            """;
        AssertJson(Card("Mail server is down", "Attention", "Down"), requests[0].Body);
        AssertJson(Card("Mail server is up again", "Good", "Up"), requests[1].Body);

        // The workflow URL is a credential: stored encrypted, never shown again.
        foreach (var url in new[] { $"/Alerts/{channel}", $"/Alerts/{channel}/Edit", "/Alerts" })
        {
            var page = await owner.GetAsync(url);
            Assert.DoesNotContain("s3cr3t-signature", page.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("a1b2c3", page.Body, StringComparison.Ordinal);
        }

        Assert.Contains("127.0.0.1 (URL stored encrypted)", (await owner.GetAsync($"/Alerts/{channel}")).Text("#channel-target"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telegram_sends_escaped_html_to_the_chat_and_send_test_works()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = r => (200, """{"ok":true,"result":{"message_id":42,"chat":{"id":-1001234567890,"type":"channel"}}}""");
        var (app, owner, team) = await StartAsync(receiver);
        await using var _app = app;
        using var _owner = owner;
        var channel = await CreateAsync(owner, "Telegram", new() { ["Input.Token"] = TelegramToken, ["Input.ChatId"] = "-1001234567890" });
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm(interval: "3600"));

        var down = await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckDown, "Mail <server> & co", "Expected \"200\" but got <500>"));
        Assert.Equal((DeliveryStatus.Sent, "HTTP 200"), (down.Status, down.ResultCode));
        Assert.Equal("Telegram accepted the message (message 42).", down.ResultMessage);
        await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckRecovered, "Mail <server> & co", "Answered in 52 ms"));

        var requests = receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal($"/bot{TelegramToken}/sendMessage", r.Path));
        AssertJson($$"""
            {"chat_id":-1001234567890,
             "text":"<b>Mail &lt;server&gt; &amp; co is down</b>\nExpected &quot;200&quot; but got &lt;500&gt;\n2026-12-03 16:38 UTC\n<a href=\"http://status.test/Checks/{{check}}\">Open the check</a>",
             "parse_mode":"HTML","disable_web_page_preview":true}
            """, requests[0].Body);
        AssertJson($$"""
            {"chat_id":-1001234567890,
             "text":"<b>Mail &lt;server&gt; &amp; co is up again</b>\nAnswered in 52 ms\n2026-12-03 16:38 UTC\n<a href=\"http://status.test/Checks/{{check}}\">Open the check</a>",
             "parse_mode":"HTML","disable_web_page_preview":true}
            """, requests[1].Body);

        // "Send test" through the page, to a public channel named by @name (sent as a string).
        var edited = await owner.PostFormAsync($"/Alerts/{channel}/Edit", new() { ["Input.Name"] = "Ops Telegram", ["Input.ChatId"] = "@ops_alerts", ["Input.Token"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, edited.Status); // an empty token keeps the stored one
        var tested = await owner.PostFormAsync($"/Alerts/{channel}?handler=Test", [], $"/Alerts/{channel}");
        Assert.Equal(HttpStatusCode.Redirect, tested.Status);
        var details = await owner.GetAsync($"/Alerts/{channel}");
        Assert.Contains("Test sent (HTTP 200)", details.Text("#flash"), StringComparison.Ordinal);
        Assert.Equal("Chat @ops_alerts via bot 123456789 (bot token stored encrypted)", details.Text("#channel-target"));
        var test = receiver.Requests.Last();
        Assert.Equal($"/bot{TelegramToken}/sendMessage", test.Path);
        Assert.Equal("@ops_alerts", JsonNode.Parse(test.Body)!["chat_id"]!.GetValue<string>());
        Assert.StartsWith("<b>Test message from Watchtower</b>\nThis is a test message", JsonNode.Parse(test.Body)!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telegram_429_is_retried_after_its_retry_after_and_403_is_not_and_the_token_is_never_logged_or_shown()
    {
        var logs = new CapturedLogs();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (app, owner, team) = await StartAsync(receiver, logs);
        await using var _app = app;
        using var _owner = owner;
        var channel = await CreateAsync(owner, "Telegram", new() { ["Input.Token"] = TelegramToken, ["Input.ChatId"] = "987654321" });
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm(interval: "3600"));

        // 429 with retry_after 20: transient, and the next attempt waits the 20 s Telegram asked for (not the 300 ms backoff).
        receiver.Respond = r => (429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 20","parameters":{"retry_after":20}}""");
        var limited = await AddEventAsync(app, team, check, channel, AlertEventType.CheckDown);
        var before = DateTimeOffset.UtcNow;
        var first = await DeliverAsync(app, limited);
        Assert.Equal((DeliveryStatus.Pending, 1, "Telegram 429"), (first.Status, first.Attempts, first.ResultCode));
        Assert.Equal("Too Many Requests: retry after 20", first.ResultMessage);
        Assert.True(first.NextAttemptAt >= before.AddSeconds(19), $"next attempt at {first.NextAttemptAt:O}, asked after {before.AddSeconds(20):O}");
        receiver.Respond = r => (200, """{"ok":true,"result":{"message_id":7}}""");
        var second = await DeliverAsync(app, limited);
        Assert.Equal((DeliveryStatus.Sent, 2), (second.Status, second.Attempts));

        // 403 (the bot was removed from the chat): failed for good after one attempt, never tried again.
        // This fake Telegram even echoes the request path (with the token) in its description: it is scrubbed.
        receiver.Respond = r => (403, $$"""{"ok":false,"error_code":403,"description":"Forbidden: bot was kicked from the group chat ({{r.Path}})"}""");
        var kicked = await AddEventAsync(app, team, check, channel, AlertEventType.CheckStillDown);
        var failed = await DeliverAsync(app, kicked);
        Assert.Equal((DeliveryStatus.Failed, 1, "Telegram 403"), (failed.Status, failed.Attempts, failed.ResultCode));
        Assert.Equal("Forbidden: bot was kicked from the group chat (/bot<token>/sendMessage)", failed.ResultMessage);
        var count = receiver.Requests.Count;
        Assert.Equal(DeliveryStatus.Failed, (await DeliverAsync(app, kicked)).Status);
        Assert.Equal(count, receiver.Requests.Count);

        // 400 (chat not found) is final too.
        receiver.Respond = r => (400, """{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}""");
        var notFound = await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckDown));
        Assert.Equal((DeliveryStatus.Failed, "Telegram 400"), (notFound.Status, notFound.ResultCode));

        var secretPart = TelegramToken.Split(':')[1];
        Assert.Contains(logs.Lines, l => l.Contains("failed for good (Telegram 403)", StringComparison.Ordinal)); // the log was captured
        Assert.DoesNotContain(logs.Lines, l => l.Contains(secretPart, StringComparison.Ordinal));
        foreach (var url in new[] { $"/Alerts/{channel}", $"/Alerts/{channel}/Edit", "/Alerts", $"/Checks/{check}", "/Dashboard" })
        {
            var page = await owner.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.DoesNotContain(secretPart, page.Body, StringComparison.Ordinal);
        }

        await using var scope = app.CreateScope(out var db);
        var stored = await db.NotificationChannels.AsNoTracking().SingleAsync(c => c.Id == channel, Ct);
        Assert.DoesNotContain(secretPart, stored.ProtectedSecret!, StringComparison.Ordinal);
        Assert.Equal("bot 123456789", stored.UrlHint);
        Assert.False(await db.AlertDeliveries.AnyAsync(d => d.ResultMessage!.Contains(secretPart), Ct));
    }

    [Fact]
    public async Task Ntfy_publishes_json_to_the_server_with_the_access_token_priority_tags_and_click()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = r => (200, """{"id":"hwQ2YpKdmg","time":1764779930,"event":"message","topic":"acme-ops_1"}""");
        var (app, owner, team) = await StartAsync(receiver);
        await using var _app = app;
        using var _owner = owner;
        var channel = await CreateAsync(owner, "Ntfy", new() { ["Input.Url"] = receiver.Base + "/", ["Input.Topic"] = "acme-ops_1", ["Input.Token"] = NtfyToken });
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm(interval: "3600"));

        Assert.Equal(DeliveryStatus.Sent, (await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckDown))).Status);
        Assert.Equal(DeliveryStatus.Sent, (await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckRecovered, message: "Answered in 52 ms"))).Status);

        var requests = receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("/", r.Path));
        Assert.All(requests, r => Assert.Equal("Bearer " + NtfyToken, r.Headers["authorization"]));
        AssertJson($$"""{"topic":"acme-ops_1","title":"Mail server is down","message":"Connection refused by 127.0.0.1:25","priority":5,"tags":["rotating_light"],"click":"http://status.test/Checks/{{check}}"}""", requests[0].Body);
        AssertJson($$"""{"topic":"acme-ops_1","title":"Mail server is up again","message":"Answered in 52 ms","priority":3,"tags":["white_check_mark"],"click":"http://status.test/Checks/{{check}}"}""", requests[1].Body);

        var details = await owner.GetAsync($"/Alerts/{channel}");
        Assert.Equal($"{receiver.Base}/acme-ops_1 (access token stored encrypted)", details.Text("#channel-target"));
        Assert.DoesNotContain(NtfyToken, details.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(NtfyToken, (await owner.GetAsync($"/Alerts/{channel}/Edit")).Body, StringComparison.Ordinal);

        // Removing the token: the next message goes without Authorization.
        var edited = await owner.PostFormAsync($"/Alerts/{channel}/Edit", new() { ["Input.Name"] = "ntfy", ["Input.Url"] = receiver.Base, ["Input.Topic"] = "acme-ops_1", ["Input.RemoveToken"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, edited.Status);
        await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckStillDown));
        var reminder = receiver.Requests.Last();
        Assert.False(reminder.Headers.ContainsKey("authorization"));
        Assert.Equal(4, JsonNode.Parse(reminder.Body)!["priority"]!.GetValue<int>());
    }

    [Fact]
    public async Task PagerDuty_down_triggers_and_recovery_resolves_the_same_dedup_key_and_answers_are_classified()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = r => (202, $$"""{"status":"success","message":"Event processed","dedup_key":"{{JsonNode.Parse(r.Body)!["dedup_key"]}}"}""");
        var (app, owner, team) = await StartAsync(receiver);
        await using var _app = app;
        using var _owner = owner;
        var channel = await CreateAsync(owner, "PagerDuty", new() { ["Input.Token"] = RoutingKey });
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm(interval: "3600"));

        var down = await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckDown));
        Assert.Equal((DeliveryStatus.Sent, "HTTP 202"), (down.Status, down.ResultCode));
        var up = await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckRecovered));
        Assert.Equal((DeliveryStatus.Sent, "HTTP 202"), (up.Status, up.ResultCode));

        var requests = receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("/pd/v2/enqueue", r.Path));
        AssertJson($$$"""
            {"routing_key":"{{{RoutingKey}}}","event_action":"trigger","dedup_key":"watchtower-check-{{{check}}}",
             "payload":{"summary":"Mail server is down: Connection refused by 127.0.0.1:25","source":"Mail server","severity":"critical",
               "timestamp":"2026-12-03T16:38:50.123Z","component":"Mail server",
               "custom_details":{"event":"check.down","message":"Connection refused by 127.0.0.1:25","state":"down","previous_state":"up","check_id":{{{check}}}}},
             "links":[{"href":"http://status.test/Checks/{{{check}}}","text":"Open check"}]}
            """, requests[0].Body);
        AssertJson($$"""{"routing_key":"{{RoutingKey}}","event_action":"resolve","dedup_key":"watchtower-check-{{check}}"}""", requests[1].Body);

        // A reminder triggers the same key again (PagerDuty folds it into the open alert).
        await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckStillDown));
        var reminder = JsonNode.Parse(receiver.Requests.Last().Body)!;
        Assert.Equal(("trigger", $"watchtower-check-{check}"), (reminder["event_action"]!.GetValue<string>(), reminder["dedup_key"]!.GetValue<string>()));

        // 400 (invalid event) is final; 429 and 500 are retried.
        receiver.Respond = r => (400, """{"status":"invalid event","message":"Event object is invalid","errors":["'routing_key' is invalid"]}""");
        var invalid = await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckDown));
        Assert.Equal((DeliveryStatus.Failed, "HTTP 400"), (invalid.Status, invalid.ResultCode));
        foreach (var status in new[] { 429, 500 })
        {
            receiver.Respond = r => (status, """{"status":"throttled"}""");
            var again = await DeliverAsync(app, await AddEventAsync(app, team, check, channel, AlertEventType.CheckDown));
            Assert.Equal((DeliveryStatus.Pending, 1), (again.Status, again.Attempts));
        }

        foreach (var url in new[] { $"/Alerts/{channel}", $"/Alerts/{channel}/Edit", "/Alerts" })
        {
            Assert.DoesNotContain(RoutingKey, (await owner.GetAsync(url)).Body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Telegram", "Input.Token", "12345:short", "Input.ChatId", "-1001234567890", "Input_Token-error", "That is not a bot token")]
    [InlineData("Telegram", "Input.Token", "", "Input.ChatId", "-1001234567890", "Input_Token-error", "Enter the bot token")]
    [InlineData("Telegram", "Input.Token", TelegramToken, "Input.ChatId", "ops channel", "Input_ChatId-error", "A chat id is a whole number")]
    [InlineData("Telegram", "Input.Token", TelegramToken, "Input.ChatId", "99999999999999999999", "Input_ChatId-error", "A chat id is a whole number")]
    [InlineData("Telegram", "Input.Token", TelegramToken, "Input.ChatId", "", "Input_ChatId-error", "Enter the chat id")]
    [InlineData("Ntfy", "Input.Topic", "ops/alerts", "Input.Url", "http://127.0.0.1:9", "Input_Topic-error", "A topic is 1 to 64 letters")]
    [InlineData("Ntfy", "Input.Topic", "", "Input.Url", "http://127.0.0.1:9", "Input_Topic-error", "Enter the topic")]
    [InlineData("Ntfy", "Input.Token", "not-a-token", "Input.Topic", "ops", "Input_Token-error", "An ntfy access token looks like tk_")]
    [InlineData("Ntfy", "Input.Url", "http://127.0.0.1:9/?x=1", "Input.Topic", "ops", "Input_Url-error", "without ? or #")]
    [InlineData("PagerDuty", "Input.Token", "abc123", "Input.Name", "PD", "Input_Token-error", "A routing key is 32 letters and digits; this one has 6 characters")]
    [InlineData("PagerDuty", "Input.Token", "R0UT1NGKEY0123456789abcdefABCDE!", "Input.Name", "PD", "Input_Token-error", "some of them not letters or digits")]
    [InlineData("PagerDuty", "Input.Token", "", "Input.Name", "PD", "Input_Token-error", "Enter the integration")]
    [InlineData("Teams", "Input.Url", "", "Input.Name", "Teams", "Input_Url-error", "Enter the URL")]
    public async Task Bad_input_is_refused_next_to_the_field_and_nothing_is_stored(string kind, string field, string value, string other, string otherValue, string errorId, string message)
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions(), Ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var fields = new Dictionary<string, string> { ["Input.Kind"] = kind, ["Input.Name"] = "Chat", [field] = value, [other] = otherValue };
        if (kind == "Ntfy")
        {
            fields.TryAdd("Input.Url", "http://127.0.0.1:9"); // not the public server: no lookup leaves the machine
        }

        var page = await owner.PostFormAsync("/Alerts/Create", fields, $"/Alerts/Create?kind={kind}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(message, page.Text("#" + errorId), StringComparison.Ordinal);
        var input = page.Document.QuerySelector("#" + errorId.Replace("-error", "", StringComparison.Ordinal))!;
        Assert.EndsWith(errorId, input.GetAttribute("aria-describedby")!, StringComparison.Ordinal);
        if (field == "Input.Token" && value.Length > 0)
        {
            Assert.DoesNotContain(value, page.Body, StringComparison.Ordinal); // a secret is not echoed back
        }

        await using var scope = app.CreateScope(out var db);
        Assert.Equal(0, await db.NotificationChannels.CountAsync(Ct));
    }

    [Theory]
    [InlineData("Teams")]
    [InlineData("Ntfy")]
    public async Task Urls_the_egress_guard_refuses_are_refused_at_save_time(string kind)
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?> { ["Watchtower:Probes:AllowPrivateTargets"] = "false" },
        }, Ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        foreach (var (url, message) in new[] { ("http://169.254.169.254/latest/meta-data", "169.254.169.254"), ("http://10.0.0.5/hook", "AllowPrivateTargets"), ("http://127.0.0.1:8080/hook", "127.0.0.1") })
        {
            var page = await owner.PostFormAsync("/Alerts/Create", new() { ["Input.Kind"] = kind, ["Input.Name"] = "Hook", ["Input.Url"] = url, ["Input.Topic"] = "ops" }, $"/Alerts/Create?kind={kind}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(message, page.Text("#Input_Url-error"), StringComparison.Ordinal);
        }

        await using var scope = app.CreateScope(out var db);
        Assert.Equal(0, await db.NotificationChannels.CountAsync(Ct));
    }
}

/// <summary>Every log line of the app, at every level, for asserting what is never logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
