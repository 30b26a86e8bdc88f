using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Incidents;

/// <summary>
/// Weekly maintenance through the owner's form, on both stores: clear field messages for a rule that
/// cannot be (no days, a window over a week, an end before the start, an unknown zone); a good one
/// writes its coming occurrences at once; the public page and the Statuspage API show its next
/// occurrence only; its details say it repeats, and stopping it removes the coming occurrences.
/// </summary>
public abstract class RecurringMaintenancePagesTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Local(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_weekly_window_is_validated_written_ahead_shown_by_its_next_occurrence_and_stopped()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail server"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(pageId, "Acme", slug, check);
        var tomorrow = DateTime.UtcNow.Date.AddDays(1);
        Dictionary<string, string> Form(DateTime start, DateTime end, string zone, params DayOfWeek[] days)
        {
            var form = new Dictionary<string, string>
            {
                ["pageId"] = pageId.ToString(CultureInfo.InvariantCulture),
                ["Input.Title"] = "Nightly backup",
                ["Input.Body"] = "Mail may be *slow*.",
                ["Input.StartsAt"] = Local(start),
                ["Input.EndsAt"] = Local(end),
                ["Input.TimeZone"] = zone,
                ["Input.AutoStartEnd"] = "true",
                ["Input.CheckIds"] = check.ToString(CultureInfo.InvariantCulture),
                ["Input.Repeat"] = "true",
            };
            for (var i = 0; i < days.Length; i++)
            {
                form[$"Input.RepeatDays[{i}]"] = days[i].ToString();
            }

            return form;
        }

        var url = $"/Maintenance/Create?pageId={pageId}";
        var bad = await owner.PostFormAsync(url, Form(tomorrow.AddHours(2), tomorrow.AddHours(3), "Mars/Olympus"));
        Assert.Equal(HttpStatusCode.OK, bad.Status);
        Assert.Contains("Choose the days of the week", bad.Text("#days-error"), StringComparison.Ordinal);
        Assert.Contains("Choose a time zone from the list", bad.Text("#zone-error"), StringComparison.Ordinal);
        var tooLong = await owner.PostFormAsync(url, Form(tomorrow.AddHours(2), tomorrow.AddDays(8), "Europe/Berlin", DayOfWeek.Monday));
        Assert.Equal((HttpStatusCode.OK, true), (tooLong.Status, tooLong.Text("#ends-error").Contains("at most 7 days", StringComparison.Ordinal)));
        var backwards = await owner.PostFormAsync(url, Form(tomorrow.AddHours(2), tomorrow.AddHours(1), "Europe/Berlin", DayOfWeek.Monday));
        Assert.Equal((HttpStatusCode.OK, true), (backwards.Status, backwards.Text("#ends-error").Contains("The end must come after the start", StringComparison.Ordinal)));
        var untilBefore = Form(tomorrow.AddHours(2), tomorrow.AddHours(3), "Europe/Berlin", DayOfWeek.Monday);
        untilBefore["Input.RepeatUntil"] = tomorrow.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Contains("comes before the first window", (await owner.PostFormAsync(url, untilBefore)).Text("#until-error"), StringComparison.Ordinal);
        await using (var scope = app.CreateScope(out var db))
        {
            Assert.Equal(0, await db.Maintenances.CountAsync(m => m.StatusPageId == pageId, Ct));
            Assert.Equal(0, await db.RecurringMaintenances.CountAsync(r => r.StatusPageId == pageId, Ct));
        }

        // Every day at 02:00 UTC for an hour, from tomorrow: two weeks written at once.
        var good = await owner.PostFormAsync(url, Form(tomorrow.AddHours(2), tomorrow.AddHours(3), "Etc/UTC", Enum.GetValues<DayOfWeek>()));
        Assert.True(good.Status == HttpStatusCode.Redirect, good.Text(".field-error"));
        List<Maintenance> occurrences;
        await using (var scope = app.CreateScope(out var db))
        {
            occurrences = await db.Maintenances.AsNoTracking().Where(m => m.StatusPageId == pageId).OrderBy(m => m.StartsAt).ToListAsync(Ct);
        }

        Assert.InRange(occurrences.Count, 14, 15);
        Assert.Equal(new DateTimeOffset(tomorrow.AddHours(2), TimeSpan.Zero), occurrences[0].StartsAt);
        Assert.All(occurrences, m => Assert.Equal((TimeSpan.FromHours(1), occurrences[0].RecurringMaintenanceId), (m.EndsAt - m.StartsAt, m.RecurringMaintenanceId)));
        var next = occurrences[0].Id;

        // Readers see the next occurrence only: on the page and in the Statuspage API.
        using var reader = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var publicPage = await reader.GetStringAsync(new Uri($"/status/{slug}", UriKind.Relative), Ct);
        var document = await new AngleSharp.Html.Parser.HtmlParser().ParseDocumentAsync(publicPage, Ct);
        Assert.Equal([$"maintenance-{next}"], document.QuerySelectorAll("#maintenance article.maintenance").Select(a => a.Id));
        foreach (var path in new[] { "scheduled-maintenances/upcoming.json", "summary.json" })
        {
            var json = JsonDocument.Parse(await reader.GetStringAsync(new Uri($"/status/{slug}/api/v2/{path}", UriKind.Relative), Ct)).RootElement;
            var listed = json.GetProperty("scheduled_maintenances").EnumerateArray().ToList();
            Assert.Equal([$"m{next}"], listed.Select(m => m.GetProperty("id").GetString()));
            Assert.Equal(occurrences[0].StartsAt, listed[0].GetProperty("scheduled_for").GetDateTimeOffset());
        }

        var all = JsonDocument.Parse(await reader.GetStringAsync(new Uri($"/status/{slug}/api/v2/scheduled-maintenances.json", UriKind.Relative), Ct)).RootElement;
        Assert.Single(all.GetProperty("scheduled_maintenances").EnumerateArray());

        // The owner's details say it repeats; stopping removes every coming occurrence.
        var details = await owner.GetAsync($"/Maintenance/{next}");
        Assert.Contains("Every week on Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday at 02:00", details.Text("#maintenance-repeats"), StringComparison.Ordinal);
        var stopped = await owner.PostFormAsync($"/Maintenance/{next}?handler=StopRepeating", [], $"/Maintenance/{next}");
        Assert.Equal(HttpStatusCode.Redirect, stopped.Status);
        await using (var scope = app.CreateScope(out var db))
        {
            Assert.Equal(0, await db.Maintenances.CountAsync(m => m.StatusPageId == pageId, Ct));
            Assert.Equal(0, await db.RecurringMaintenances.CountAsync(r => r.StatusPageId == pageId, Ct));
        }
    }
}

public sealed class RecurringMaintenancePagesTests_Sqlite(SqliteAppFixture fixture) : RecurringMaintenancePagesTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class RecurringMaintenancePagesTests_Postgres(PostgresAppFixture fixture) : RecurringMaintenancePagesTests(fixture), IClassFixture<PostgresAppFixture>;
