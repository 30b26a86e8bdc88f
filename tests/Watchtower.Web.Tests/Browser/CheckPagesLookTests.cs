using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// The check pages as an owner meets them, in a real browser: the form of every kind, switching kind,
/// the TCP service choice showing only the fields that act, Test now (a pass and a failure), the check's
/// own page with results and pages — each at 1280 and 390 px, light and dark, with no axe violation.
/// </summary>
public sealed class CheckPagesLookTests : IAsyncLifetime
{
    private readonly PageLooks looks = new();
    private WatchtowerApp app = null!;
    private IBrowser browser = null!;
    private string baseUrl = "";

    public async ValueTask InitializeAsync()
    {
        browser = await TestBrowser.LaunchAsync();
        app = await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Sqlite }, TestContext.Current.CancellationToken);
        app.UseKestrel(0);
        app.StartServer();
        baseUrl = app.ClientOptions.BaseAddress.ToString().TrimEnd('/');
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Every_kinds_form_test_now_and_the_check_page_pass_axe_and_fit_a_phone()
    {
        await using var listener = new LoopbackListener();
        await using var web = await TestWebServer.StartAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(45_000);
        await BrowserSignUp.SignUpAsync(page, app, OwnerClient.NewEmail());
        await page.GotoAsync("/StatusPages/Create");
        await page.FillAsync("#Input_Name", "Acme Services");
        await page.ClickAsync("#page-submit");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/StatusPages/[0-9]+/Edit$"));

        // Each kind's form, reached by switching kind: what was typed in shared fields stays.
        await page.GotoAsync("/Checks/Create");
        await page.FillAsync("#Input_Name", "Shop");
        await page.FillAsync("#Input_Tcp_Host", "shop.example.com");
        await looks.EachAsync(page, "check-form-tcp");
        foreach (var kind in new[] { "http", "dns", "ssl", "seo" })
        {
            await page.ClickAsync($"#kind-{kind}");
            await Assertions.Expect(page.Locator("#Input_Name")).ToHaveValueAsync("Shop");
            await looks.EachAsync(page, $"check-form-{kind}");
        }

        Assert.Equal("https://shop.example.com/", await page.InputValueAsync("#Input_Seo_Url"));

        // The TCP service choice shows only the fields that act on it.
        await page.ClickAsync("#kind-tcp");
        await page.SelectOptionAsync("#Input_Tcp_Service", "Smtp");
        Assert.True(await page.IsVisibleAsync("#Input_Tcp_StartTls"));
        Assert.False(await page.IsVisibleAsync("#Input_Tcp_CertificateWarningDays"), "plain SMTP speaks no TLS until STARTTLS is ticked");
        await page.CheckAsync("#Input_Tcp_StartTls");
        Assert.True(await page.IsVisibleAsync("#Input_Tcp_CertificateWarningDays"), "with STARTTLS the certificate is judged");
        await page.SelectOptionAsync("#Input_Tcp_Service", "Custom");
        Assert.True(await page.IsVisibleAsync("#Input_Tcp_Send"));
        Assert.False(await page.IsVisibleAsync("#Input_Tcp_CertificateWarningDays"), "custom without TLS");
        await page.CheckAsync("#Input_Tcp_ImplicitTls");
        Assert.True(await page.IsVisibleAsync("#Input_Tcp_CertificateWarningDays"), "custom over TLS");
        await page.SelectOptionAsync("#Input_Tcp_Service", "PortOpen");
        Assert.False(await page.IsVisibleAsync("#Input_Tcp_ReadTimeoutSeconds"));
        Assert.False(await page.IsVisibleAsync("#Input_Tcp_CertificateWarningDays"));

        // Test now: the result comes first, in view.
        await page.FillAsync("#Input_Tcp_Host", "127.0.0.1");
        await page.FillAsync("#Input_Tcp_Port", listener.Port.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("#check-test");
        await page.WaitForSelectorAsync("#test-result[data-state=up]");
        Assert.True(await page.Locator("#test-result").EvaluateAsync<bool>("e => { const r = e.getBoundingClientRect(); return r.top > -2 && r.top < window.innerHeight; }"),
            "the test result is in view after the post");
        await looks.EachAsync(page, "check-form-test-up");
        await page.FillAsync("#Input_Tcp_Port", ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("#check-test");
        await page.WaitForSelectorAsync("#test-result[data-state=down]");
        Assert.Equal("refused", await page.InnerTextAsync("#test-reason"));
        await looks.EachAsync(page, "check-form-test-down");

        // Saved, shown on the page from the form, run once: the check's own page.
        await page.FillAsync("#Input_Tcp_Port", listener.Port.ToString(CultureInfo.InvariantCulture));
        await page.CheckAsync("fieldset.pages input[type=checkbox]");
        await page.ClickAsync("#check-submit");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Checks/[0-9]+$"));
        var id = int.Parse(page.Url.Split('/')[^1], CultureInfo.InvariantCulture);
        await app.Services.GetRequiredService<Watchtower.Monitoring.Engine.ProbeEngine>().RunNowAsync([id], TestContext.Current.CancellationToken);

        await page.ReloadAsync();
        Assert.Contains("Shown on Acme Services", await page.InnerTextAsync("#check-pages"), StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{listener.Port}", await page.InnerTextAsync("#latest-endpoint"), StringComparison.Ordinal);
        await looks.EachAsync(page, "check-details");
        await page.ClickAsync("#check-edit");
        await looks.EachAsync(page, "check-edit");
        looks.AssertNone();
    }
}
