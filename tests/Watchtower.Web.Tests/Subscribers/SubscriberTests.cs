using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Subscribers;
using Watchtower.Testing;
using Watchtower.Testing.Servers;
using Watchtower.Web.Tests.Alerts;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Subscribers;

/// <summary>
/// Status page subscribers end to end on PostgreSQL with the real engine and Hangfire, email through a
/// real Exim on 127.0.0.1 (read back from its maildir): double opt-in, no enumeration, rate limits,
/// notices for the chosen services exactly once, one-click unsubscribe (RFC 8058), the owner's list.
/// </summary>
public sealed class SubscriberTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(WatchtowerApp App, ServerProcess Exim, Mailbox Mail, OwnerClient Owner, int PageId, string Slug, int CheckA, int CheckB) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Owner.Dispose();
            await App.DisposeAsync();
            await Exim.DisposeAsync();
        }
    }

    private static async Task<World> WorldAsync(Dictionary<string, string?>? more = null)
    {
        var (exim, port, maildir) = await EximMailServer.StartAsync();
        var settings = AlertSteps.FastAlerts(new()
        {
            ["Watchtower:Email:Host"] = "127.0.0.1",
            ["Watchtower:Email:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Watchtower:Email:Security"] = "None",
            ["Watchtower:Email:FromAddress"] = "status@watchtower.test",
        });
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        var app = await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Postgres, RunEngine = true, Settings = settings }, Ct);
        var owner = await new OwnerClient(app).RegisterAsync(confirm: false);
        var confirm = await maildir.WaitForAsync(owner.Email, "Confirm your email");
        await owner.GetAsync(Mailbox.Link(confirm, "/Account/ConfirmEmail"));
        // Checks of a port that answers (Exim's), run hourly: they stay up and open no incident of their own.
        var a = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail", port: port.ToString(CultureInfo.InvariantCulture), interval: "3600"));
        var b = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Web", port: port.ToString(CultureInfo.InvariantCulture), interval: "3600"));
        var slug = OwnerSteps.UniqueSlug();
        var page = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(page, "Acme", slug, a, b);
        return new World(app, exim, maildir, owner, page, slug, a, b);
    }

    private static async Task<OwnerClient.Page> SubscribeAsync(OwnerClient reader, World w, string email, params int[] only)
    {
        var form = new Dictionary<string, string> { ["Email"] = email, ["Scope"] = only.Length == 0 ? "all" : "some" };
        var page = $"/status/{w.Slug}/subscribe";
        var token = await reader.AntiforgeryTokenAsync(page);
        var body = new List<KeyValuePair<string, string>>(form) { new("__RequestVerificationToken", token) };
        body.AddRange(only.Select(id => new KeyValuePair<string, string>("CheckIds", id.ToString(CultureInfo.InvariantCulture))));
        using var content = new FormUrlEncodedContent(body);
        using var response = await reader.Http.PostAsync(new Uri(page, UriKind.Relative), content, Ct);
        return await OwnerClient.Page.FromAsync(response);
    }

    private static async Task ConfirmAsync(OwnerClient reader, World w, string email)
    {
        var message = await w.Mail.WaitForAsync(email, "Confirm your subscription");
        var link = Mailbox.Link(message, $"/status/{w.Slug}/confirm");
        var asked = await reader.GetAsync(link);
        Assert.Equal("asked", asked.Document.QuerySelector("#confirm-subscription")!.GetAttribute("data-outcome"));
        var done = await reader.PostFormAsync(link, new() { ["token"] = link.Split("token=")[1] });
        Assert.Equal("confirmed", done.Document.QuerySelector("#confirm-subscription")!.GetAttribute("data-outcome"));
    }

    private static async Task<int> IncidentAsync(World w, int checkId, string title)
    {
        var form = new Dictionary<string, string>
        {
            ["pageId"] = w.PageId.ToString(CultureInfo.InvariantCulture),
            ["Input.Title"] = title,
            ["Input.Status"] = "Investigating",
            ["Input.Impact"] = "Major",
            ["Input.Body"] = "We are **looking** into it.",
            ["Input.Components[0].CheckId"] = checkId.ToString(CultureInfo.InvariantCulture),
            ["Input.Components[0].Affected"] = "true",
            ["Input.Components[0].Status"] = "PartialOutage",
        };
        var page = await w.Owner.PostFormAsync($"/Incidents/Create?pageId={w.PageId}", form);
        Assert.True(page.Status == HttpStatusCode.Redirect, $"{page.Status}: {page.Text(".field-error, .errors")}");
        return page.IdFromLocation();
    }

    private static async Task WaitForNoPendingAsync(WatchtowerApp app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var scope = app.CreateScope(out var db);
            if (!await db.AlertDeliveries.AnyAsync(d => d.Status == DeliveryStatus.Pending, Ct) || DateTime.UtcNow > deadline)
            {
                return;
            }

            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task Confirmed_subscribers_of_the_affected_service_get_each_notice_once_with_one_click_unsubscribe()
    {
        await using var w = await WorldAsync();
        using var reader = new OwnerClient(w.App);
        var (all, onlyA, onlyB, unconfirmed) = ($"all-{Guid.NewGuid():N}@example.com", $"a-{Guid.NewGuid():N}@example.com", $"b-{Guid.NewGuid():N}@example.com", $"u-{Guid.NewGuid():N}@example.com");

        var first = await SubscribeAsync(reader, w, all);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var answer = first.Text("#subscribe-requested");
        Assert.Contains("Check your inbox", answer, StringComparison.Ordinal);
        await ConfirmAsync(reader, w, all);
        await SubscribeAsync(reader, w, onlyA, w.CheckA);
        await ConfirmAsync(reader, w, onlyA);
        await SubscribeAsync(reader, w, onlyB, w.CheckB);
        await ConfirmAsync(reader, w, onlyB);
        await SubscribeAsync(reader, w, unconfirmed);
        await w.Mail.WaitForAsync(unconfirmed, "Confirm your subscription");

        // No enumeration: a subscribed address gets the very same answer, and no email.
        var again = await SubscribeAsync(reader, w, all.ToUpperInvariant());
        Assert.Equal(answer, again.Text("#subscribe-requested"));
        await Task.Delay(1500, Ct);
        Assert.Equal(1, await w.Mail.CountAsync(all, "Confirm your subscription"));

        // The owner posts an incident on service A: the "all" and "A" subscribers hear of it once; B's and the unconfirmed do not.
        var incidentId = await IncidentAsync(w, w.CheckA, "Mail delayed");
        var message = await w.Mail.WaitForAsync(all, "Mail delayed");
        await w.Mail.WaitForAsync(onlyA, "Mail delayed");
        await WaitForNoPendingAsync(w.App);

        // The same timeline entry recorded again adds no event; the dispatcher passes again: nothing more is sent.
        await using (var scope = w.App.CreateScope(out var db))
        {
            var incident = await db.Incidents.Include(i => i.Components).Include(i => i.Updates).SingleAsync(i => i.Id == incidentId, Ct);
            Assert.Null(NoticeRecorder.Incident(db, incident, incident.Updates[0], AlertEventType.IncidentOpened));
            var notices = await db.AlertEvents.Where(e => e.IncidentId == incidentId || e.IncidentUpdate!.IncidentId == incidentId).ToListAsync(Ct);
            var opened = Assert.Single(notices);
            Assert.Equal(2, await db.AlertDeliveries.CountAsync(d => d.EventId == opened.Id && d.SubscriberId != null && d.Status == DeliveryStatus.Sent, Ct));
        }

        await Task.Delay(1500, Ct);
        Assert.Equal(1, await w.Mail.CountAsync(all, "Mail delayed"));
        Assert.Equal(1, await w.Mail.CountAsync(onlyA, "Mail delayed"));
        Assert.Equal(0, await w.Mail.CountAsync(onlyB, "Mail delayed"));
        Assert.Equal(0, await w.Mail.CountAsync(unconfirmed, "Mail delayed"));

        // RFC 8058: a List-Unsubscribe address and One-Click; text and HTML bodies, the Markdown rendered and sanitised.
        var listUnsubscribe = message.Headers["List-Unsubscribe"];
        Assert.StartsWith($"<http://status.test/status/{w.Slug}/unsubscribe?token=", listUnsubscribe, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        Assert.Contains("<strong>looking</strong>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe:", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/status/{w.Slug}/incidents/{incidentId}", message.TextBody, StringComparison.Ordinal);

        // The mail client's one-click POST: no antiforgery token, no other step.
        var unsubscribe = new Uri(listUnsubscribe!.Trim('<', '>'));
        var get = await reader.GetAsync(unsubscribe.PathAndQuery);
        Assert.Equal("asked", get.Document.QuerySelector("#unsubscribe")!.GetAttribute("data-outcome"));
        using (var oneClick = new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"))
        {
            using var anonymous = w.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            using var response = await anonymous.PostAsync(new Uri(unsubscribe.PathAndQuery, UriKind.Relative), oneClick, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using (var scope = w.App.CreateScope(out var db))
        {
            Assert.False(await db.Subscribers.AnyAsync(s => s.Email == all, Ct));
        }

        // Resolving tells the A subscriber, not the one who left.
        var resolved = await w.Owner.PostFormAsync($"/Incidents/{incidentId}", new() { ["Update.Status"] = "Resolved", ["Update.Body"] = "Mail flows again." });
        Assert.Equal(HttpStatusCode.Redirect, resolved.Status);
        var resolution = await w.Mail.WaitForAsync(onlyA, "Resolved");
        Assert.Contains("Mail flows again.", resolution.TextBody, StringComparison.Ordinal);
        await WaitForNoPendingAsync(w.App);
        Assert.Equal(0, await w.Mail.CountAsync(all, "Resolved"));

        // The owner's list: state per subscriber, the CSV export, removal.
        var list = await w.Owner.GetAsync($"/StatusPages/{w.PageId}/Subscribers");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains("2 confirmed, 1 waiting", list.Text("#subscriber-counts"), StringComparison.Ordinal);
        Assert.Contains(unconfirmed, list.Text("#subscribers-table [data-state=Pending]"), StringComparison.Ordinal);
        using (var csv = await w.Owner.Http.GetAsync(new Uri($"/StatusPages/{w.PageId}/Subscribers?handler=Export", UriKind.Relative), Ct))
        {
            Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
            var text = await csv.Content.ReadAsStringAsync(Ct);
            Assert.StartsWith("address,kind,state,services,subscribed_at,confirmed_at", text, StringComparison.Ordinal);
            Assert.Contains($"{onlyB},email,confirmed,Web,", text, StringComparison.Ordinal);
            Assert.Contains($"{unconfirmed},email,pending,All services,", text, StringComparison.Ordinal);
        }

        int bId;
        await using (var scope = w.App.CreateScope(out var db))
        {
            bId = await db.Subscribers.Where(s => s.Email == onlyB).Select(s => s.Id).SingleAsync(Ct);
        }

        var removed = await w.Owner.PostFormAsync($"/StatusPages/{w.PageId}/Subscribers?handler=Remove", new() { ["subscriberId"] = bId.ToString(CultureInfo.InvariantCulture) }, $"/StatusPages/{w.PageId}/Subscribers");
        Assert.Equal(HttpStatusCode.Redirect, removed.Status);
        Assert.DoesNotContain(onlyB, (await w.Owner.GetAsync($"/StatusPages/{w.PageId}/Subscribers")).Text("#subscribers-table"), StringComparison.Ordinal);

        // Another team sees none of it.
        using var stranger = await new OwnerClient(w.App).RegisterAsync(confirm: false);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/StatusPages/{w.PageId}/Subscribers")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/StatusPages/{w.PageId}/Subscribers?handler=Export")).Status);
    }

    [Fact]
    public async Task A_confirmation_link_works_once_and_not_after_48_hours_and_bad_input_is_a_field_message()
    {
        await using var w = await WorldAsync();
        using var reader = new OwnerClient(w.App);
        var email = $"late-{Guid.NewGuid():N}@example.com";

        var bad = await SubscribeAsync(reader, w, "not an address");
        Assert.Equal(HttpStatusCode.OK, bad.Status);
        Assert.Contains("Enter an email address", bad.FieldError("Email"), StringComparison.Ordinal);
        var none = await SubscribeAsync(reader, w, email, 999_999);
        Assert.Contains("Choose services shown on this page", none.FieldError("CheckIds"), StringComparison.Ordinal);

        await SubscribeAsync(reader, w, email);
        var message = await w.Mail.WaitForAsync(email, "Confirm your subscription");
        var link = Mailbox.Link(message, $"/status/{w.Slug}/confirm");
        var token = link.Split("token=")[1];
        await using (var scope = w.App.CreateScope(out var db))
        {
            var subscriber = await db.Subscribers.SingleAsync(s => s.Email == email, Ct);
            Assert.Equal(SubscriberTokens.Hash(token), subscriber.ConfirmTokenHash); // only the hash is stored
            Assert.DoesNotContain(token, subscriber.ConfirmTokenHash!, StringComparison.Ordinal);
            Assert.InRange(subscriber.ConfirmExpiresAt!.Value - subscriber.CreatedAt, TimeSpan.FromHours(47.9), TimeSpan.FromHours(48.1));
            // The clock moves past the 48 hours.
            subscriber.ConfirmExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
            await db.SaveChangesAsync(Ct);
        }

        var expired = await reader.PostFormAsync(link, new() { ["token"] = token });
        Assert.Equal("invalid", expired.Document.QuerySelector("#confirm-subscription")!.GetAttribute("data-outcome"));

        // Asking again sends a new link (the old one stays dead); it works once.
        await SubscribeAsync(reader, w, email);
        var second = Mailbox.Link(await w.Mail.WaitForAsync(email, "Confirm your subscription"), $"/status/{w.Slug}/confirm");
        Assert.NotEqual(link, second);
        Assert.Equal("invalid", (await reader.PostFormAsync(link, new() { ["token"] = token })).Document.QuerySelector("#confirm-subscription")!.GetAttribute("data-outcome"));
        var secondToken = second.Split("token=")[1];
        Assert.Equal("confirmed", (await reader.PostFormAsync(second, new() { ["token"] = secondToken })).Document.QuerySelector("#confirm-subscription")!.GetAttribute("data-outcome"));
        Assert.Equal("invalid", (await reader.PostFormAsync(second, new() { ["token"] = secondToken })).Document.QuerySelector("#confirm-subscription")!.GetAttribute("data-outcome"));
    }

    [Fact]
    public async Task Requests_are_limited_per_address_and_per_client_and_private_pages_refuse_outsiders()
    {
        await using var w = await WorldAsync(new()
        {
            ["Watchtower:StatusPages:SubscribePostsPerHour"] = "4",
            ["Watchtower:StatusPages:SubscriptionsPerAddressPerHour"] = "2",
        });
        using var reader = new OwnerClient(w.App);
        var email = $"bomb-{Guid.NewGuid():N}@example.com";

        // Per address: two confirmations an hour; the third request gets the same answer and sends nothing.
        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var page = await SubscribeAsync(reader, w, email);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            answers.Add(page.Text("#subscribe-requested"));
        }

        Assert.Single(answers.Distinct());
        await w.Mail.WaitForAsync(email, "Confirm your subscription");
        await w.Mail.WaitForAsync(email, "Confirm your subscription");
        await Task.Delay(2000, Ct);
        Assert.Equal(2, await w.Mail.CountAsync(email, "Confirm your subscription"));

        // Per client address: the fifth post within the hour is refused.
        var fourth = await SubscribeAsync(reader, w, $"other-{Guid.NewGuid():N}@example.com");
        Assert.Equal(HttpStatusCode.OK, fourth.Status);
        var fifth = await SubscribeAsync(reader, w, $"other-{Guid.NewGuid():N}@example.com");
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.Status);

        // A members-only page: signed-out readers are sent to sign in, other people's accounts find nothing.
        await using (var scope = w.App.CreateScope(out var db))
        {
            await db.StatusPages.Where(p => p.Id == w.PageId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Visibility, StatusPageVisibility.Members), Ct);
        }

        using var anonymous = new OwnerClient(w.App);
        var signedOut = await anonymous.GetAsync($"/status/{w.Slug}/subscribe");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.Status);
        Assert.StartsWith("/Account/Login", signedOut.Location!.OriginalString, StringComparison.Ordinal);
        using var outsider = await new OwnerClient(w.App).RegisterAsync(confirm: false);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/status/{w.Slug}/subscribe")).Status);
        var token = await outsider.AntiforgeryTokenAsync("/Dashboard");
        using (var content = new FormUrlEncodedContent([new("Email", "x@example.com"), new("Scope", "all"), new("__RequestVerificationToken", token)]))
        {
            using var refused = await outsider.Http.PostAsync(new Uri($"/status/{w.Slug}/subscribe", UriKind.Relative), content, Ct);
            Assert.True(refused.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests, $"{refused.StatusCode}");
        }

        // The team's own member may subscribe.
        Assert.Equal(HttpStatusCode.OK, (await w.Owner.GetAsync($"/status/{w.Slug}/subscribe")).Status);
    }
}
