using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

public abstract class CheckFormTests(AppFixture fixture)
{
    [Fact]
    public async Task A_valid_tcp_check_is_stored_normalized_and_scheduled()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();

        var id = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail", "  MAIL.Example.COM. ", "587", "120", "5", showTarget: true));

        await using var scope = app.CreateScope(out var db);
        var check = await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
        Assert.Equal(("Mail", "mail.example.com", 587, 120, 5, true), (check.Name, check.Tcp!.Host, check.Tcp.Port, check.IntervalSeconds, check.TimeoutSeconds, check.ShowTargetOnStatusPage));
        Assert.Equal(CheckState.Pending, check.State);
        Assert.True(check.Enabled);
        Assert.True(check.NextRunAt <= DateTimeOffset.UtcNow.AddSeconds(1));
        var details = await owner.GetAsync($"/Checks/{id}");
        Assert.Equal("mail.example.com:587", details.Text("#check-target"));
    }

    [Theory]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    [InlineData("2606:4700:4700::1111", "2606:4700:4700::1111")]
    [InlineData("203.0.113.10", "203.0.113.10")]
    public async Task Hosts_are_stored_in_their_normal_form(string typed, string stored)
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();

        var id = await owner.CreateCheckAsync(OwnerSteps.CheckForm(host: typed));

        await using var scope = app.CreateScope(out var db);
        Assert.Equal(stored, (await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken)).Tcp!.Host);
    }

    public static TheoryData<string, string, string, string, string, string, string> BadInput => new()
    {
        // name, host, port, interval, timeout, field, message part
        { "", "mail.example.com", "25", "60", "10", "Input.Name", "Enter a name" },
        { new string('n', 101), "mail.example.com", "25", "60", "10", "Input.Name", "at most 100" },
        { "Mail", "", "25", "60", "10", "Input.Tcp.Host", "Enter a host" },
        { "Mail", "http://example.com", "25", "60", "10", "Input.Tcp.Host", "without http://" },
        { "Mail", "exa mple.com", "25", "60", "10", "Input.Tcp.Host", "spaces" },
        { "Mail", "example.com:25", "25", "60", "10", "Input.Tcp.Host", "Port field" },
        { "Mail", "[::1]:22", "22", "60", "10", "Input.Tcp.Host", "Port field" },
        { "Mail", "017700000001", "25", "60", "10", "Input.Tcp.Host", "IPv4" },
        { "Mail", "example.com/x", "25", "60", "10", "Input.Tcp.Host", "path" },
        { "Mail", new string('h', 100_000), "25", "60", "10", "Input.Tcp.Host", "253" },
        { "Mail", "mail.example.com", "0", "60", "10", "Input.Tcp.Port", "1 to 65535" },
        { "Mail", "mail.example.com", "65536", "60", "10", "Input.Tcp.Port", "1 to 65535" },
        { "Mail", "mail.example.com", "abc", "60", "10", "Input.Tcp.Port", "1 to 65535" },
        { "Mail", "mail.example.com", "", "60", "10", "Input.Tcp.Port", "1 to 65535" },
        { "Mail", "mail.example.com", "99999999999999999999", "60", "10", "Input.Tcp.Port", "" },
        { "Mail", "mail.example.com", "25", "0", "10", "Input.IntervalSeconds", "" },
        { "Mail", "mail.example.com", "25", "86401", "10", "Input.IntervalSeconds", "how often" },
        { "Mail", "mail.example.com", "25", "-5", "10", "Input.IntervalSeconds", "" },
        { "Mail", "mail.example.com", "25", "60", "0", "Input.TimeoutSeconds", "1 to 60" },
        { "Mail", "mail.example.com", "25", "60", "61", "Input.TimeoutSeconds", "1 to 60" },
        { "Mail", "mail.example.com", "25", "5", "5", "Input.TimeoutSeconds", "shorter than the interval" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_gets_a_message_next_to_the_field_and_stores_nothing(string name, string host, string port, string interval, string timeout, string field, string message)
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();

        var response = await owner.PostFormAsync("/Checks/Create", OwnerSteps.CheckForm(name, host, port, interval, timeout));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var shown = response.FieldError(field);
        Assert.False(string.IsNullOrWhiteSpace(shown), $"expected a message next to {field}; page says: {response.Text(".field-error, .errors")}");
        Assert.Contains(message, shown, StringComparison.OrdinalIgnoreCase);
        await using var scope = app.CreateScope(out var db);
        Assert.False(await db.Checks.AnyAsync(c => db.TeamMembers.Any(m => m.TeamId == c.TeamId && m.User!.Email == owner.Email), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("Custom", "zz", "Hex", "", "Contains", "Input.Tcp.Send", "pairs of digits")]
    [InlineData("Custom", "PING\\q", "Text", "", "Contains", "Input.Tcp.Send", "Unknown escape")]
    [InlineData("Custom", "PING", "Text", "(unclosed", "Regex", "Input.Tcp.Expect", "not a valid regular expression")]
    [InlineData("Bogus", "", "Text", "", "Contains", "Input.Tcp.Service", "Choose one of the values in the list.")]
    public async Task Bad_service_settings_get_a_message_next_to_the_field(string service, string send, string format, string expect, string mode, string field, string message)
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var form = OwnerSteps.CheckForm();
        form["Input.Tcp.Service"] = service;
        form["Input.Tcp.Send"] = send;
        form["Input.Tcp.SendFormat"] = format;
        form["Input.Tcp.Expect"] = expect;
        form["Input.Tcp.ExpectMode"] = mode;

        var response = await owner.PostFormAsync("/Checks/Create", form);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.False(string.IsNullOrWhiteSpace(response.FieldError(field)), $"expected a message next to {field}");
        Assert.Contains(message, response.FieldError(field), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_check_is_stored_with_its_settings()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var form = OwnerSteps.CheckForm("Mail", "mail.example.com", "587");
        form["Input.Tcp.Service"] = "Smtp";
        form["Input.Tcp.StartTls"] = "true";
        form["Input.FailureThreshold"] = "3";
        form["Input.RecoveryThreshold"] = "2";
        form["Input.RetryIntervalSeconds"] = "15";
        form["Input.LatencyThresholdMs"] = "800";
        form["Input.Tcp.CertificateWarningDays"] = "21";

        var id = await owner.CreateCheckAsync(form);

        await using var scope = app.CreateScope(out var db);
        var check = await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
        Assert.Equal((Watchtower.Probes.Tcp.TcpService.Smtp, true, 3, 2, (int?)15, (int?)800, 21),
            (check.Tcp!.Service, check.Tcp.StartTls, check.FailureThreshold, check.RecoveryThreshold, check.RetryIntervalSeconds, check.LatencyThresholdMs, check.Tcp.CertificateWarningDays));
        var details = await owner.GetAsync($"/Checks/{id}");
        Assert.Contains("SMTP (mail submission/relay) with STARTTLS", details.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_now_runs_the_check_once_shows_the_result_and_saves_nothing()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        await using var ssh = new ScriptedListener(ListenerScript.Say, System.Text.Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2p1 Test\r\n"));
        var form = OwnerSteps.CheckForm("SSH", "127.0.0.1", ssh.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        form["Input.Tcp.Service"] = "Ssh";

        var response = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("up", response.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.StartsWith("SSH server identified itself as OpenSSH_9.2p1", response.Text("#test-message"), StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{ssh.Port}", response.Text("#test-endpoint"));
        Assert.Equal("SSH-2.0-OpenSSH_9.2p1 Test", response.Text("#test-banner"));
        Assert.Contains("connect", response.Text("#test-timings"), StringComparison.Ordinal);
        await using var scope = app.CreateScope(out var db);
        Assert.False(await db.Checks.AnyAsync(c => db.TeamMembers.Any(m => m.TeamId == c.TeamId && m.User!.Email == owner.Email), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Test_now_shows_why_a_check_fails()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        await using var silent = new ScriptedListener(ListenerScript.Silent);
        var form = OwnerSteps.CheckForm("Mail", "127.0.0.1", silent.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), timeout: "5");
        form["Input.Tcp.Service"] = "Smtp";
        form["Input.Tcp.ReadTimeoutSeconds"] = "1";

        var response = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");

        Assert.Equal("down", response.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Equal("SMTP server did not greet within 1 s.", response.Text("#test-message"));
        Assert.Equal("silent", response.Text("#test-reason"));
    }

    [Fact]
    public async Task Test_now_is_limited_per_account()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?> { ["Watchtower:RateLimits:TestNowPerMinute"] = "2" },
        }, TestContext.Current.CancellationToken);
        using var owner = await new OwnerClient(app).RegisterAsync();
        await using var listener = new LoopbackListener();
        var form = OwnerSteps.CheckForm(port: listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var results = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var page = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");
            results.Add(page.Text("#test-result"));
        }

        Assert.Contains("Port", results[0], StringComparison.Ordinal);
        Assert.Contains("Port", results[1], StringComparison.Ordinal);
        Assert.Contains("many tests in the last minute", results[2], StringComparison.Ordinal);
        Assert.Equal(2, listener.Accepted);
    }

    [Fact]
    public async Task A_blocked_ip_literal_is_refused_when_private_targets_are_off()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?> { ["Watchtower:Probes:AllowPrivateTargets"] = "false" },
        }, TestContext.Current.CancellationToken);
        using var owner = await new OwnerClient(app).RegisterAsync();

        var response = await owner.PostFormAsync("/Checks/Create", OwnerSteps.CheckForm(host: "10.0.0.5"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains("private address", response.FieldError("Input.Tcp.Host"), StringComparison.Ordinal);
        Assert.Contains("AllowPrivateTargets", response.FieldError("Input.Tcp.Host"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_pause_resume_and_delete()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var id = await owner.CreateCheckAsync();
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(pageId, "Acme", slug, id);

        var edit = await owner.GetAsync($"/Checks/{id}/Edit");
        Assert.Equal("25", edit.Document.QuerySelector("#Input_Tcp_Port")?.GetAttribute("value"));
        var edited = await owner.PostFormAsync($"/Checks/{id}/Edit", OwnerSteps.CheckForm("Mail (submission)", "127.0.0.1", "587"));
        Assert.Equal(HttpStatusCode.Redirect, edited.Status);
        await AssertCheckAsync(c => Assert.Equal(("Mail (submission)", 587), (c.Name, c.Tcp!.Port)));

        var paused = await owner.PostFormAsync($"/Checks/{id}?handler=Pause", [], formPage: $"/Checks/{id}");
        Assert.Equal(HttpStatusCode.Redirect, paused.Status);
        await AssertCheckAsync(c => Assert.Equal((false, CheckState.Paused), (c.Enabled, c.State)));
        Assert.Contains("Paused", (await new OwnerClient(app).GetAsync($"/status/{slug}")).Text("#services"), StringComparison.Ordinal);

        var resumed = await owner.PostFormAsync($"/Checks/{id}?handler=Resume", [], formPage: $"/Checks/{id}");
        Assert.Equal(HttpStatusCode.Redirect, resumed.Status);
        await AssertCheckAsync(c => Assert.Equal((true, CheckState.Pending), (c.Enabled, c.State)));
        await using (var scope = app.CreateScope(out var db))
        {
            var changes = await db.CheckStateChanges.Where(s => s.CheckId == id).OrderBy(s => s.Id).Select(s => s.To).ToListAsync(TestContext.Current.CancellationToken);
            Assert.Equal([CheckState.Paused, CheckState.Pending], changes);
        }

        var confirm = await owner.GetAsync($"/Checks/{id}/Delete");
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains("cannot be undone", confirm.Body, StringComparison.Ordinal);
        var deleted = await owner.PostFormAsync($"/Checks/{id}/Delete", []);
        Assert.Equal(HttpStatusCode.Redirect, deleted.Status);
        await using (var scope = app.CreateScope(out var db))
        {
            Assert.False(await db.Checks.AnyAsync(c => c.Id == id, TestContext.Current.CancellationToken));
            Assert.False(await db.StatusPageChecks.AnyAsync(x => x.CheckId == id, TestContext.Current.CancellationToken));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/Checks/{id}")).Status);

        async Task AssertCheckAsync(Action<Check> assert)
        {
            await using var scope = app.CreateScope(out var db);
            assert(await db.Checks.AsNoTracking().SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken));
        }
    }
}

public sealed class CheckFormTests_Sqlite(SqliteAppFixture fixture) : CheckFormTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class CheckFormTests_Postgres(PostgresAppFixture fixture) : CheckFormTests(fixture), IClassFixture<PostgresAppFixture>;
