using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// Every account page in a real browser, at a desktop width (light) and a phone width (dark), with axe finding nothing
/// on any of them: sign-up, the confirm-your-email notice, the settings pages, two-factor set-up
/// with a code computed from the key on the page, two-factor log-in and password reset.
/// </summary>
public sealed class AccountPagesTests : IAsyncLifetime
{
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

    [Theory]
    [InlineData(1280, 900, false)]
    [InlineData(390, 844, true)]
    public async Task Account_pages_work_and_pass_axe(int width, int height, bool dark)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new() { Width = width, Height = height },
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        var shots = $"{width}";
        var email = OwnerClient.NewEmail();
        const string Password = "correct horse battery";

        // Sign-up refuses a common password next to the field, then ends on "check your email".
        await page.GotoAsync("/Account/Register");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", "password123");
        await page.FillAsync("#Input_ConfirmPassword", "password123");
        await page.ClickAsync("#register-submit");
        Assert.Contains("most common", await page.InnerTextAsync("#password-error"), StringComparison.Ordinal);
        await CheckAsync(page, $"register-error-{shots}");
        await page.FillAsync("#Input_Password", Password);
        await page.FillAsync("#Input_ConfirmPassword", Password);
        await page.ClickAsync("#register-submit");
        await ExpectUrlAsync(page, "/Account/CheckEmail$");
        await CheckAsync(page, $"check-email-{shots}");

        // Logged in before confirming: the notice shows on every page.
        await page.ClickAsync("#check-email-login");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", Password);
        await CheckAsync(page, $"login-{shots}");
        await page.ClickAsync("#login-submit");
        await ExpectUrlAsync(page, "/Dashboard$");
        Assert.Contains("Confirm your email address", await page.InnerTextAsync("#confirm-email-notice"), StringComparison.Ordinal);
        await CheckAsync(page, $"dashboard-unconfirmed-{shots}");
        await page.GotoAsync(Mailbox.Link(await app.Mailbox.WaitForAsync(email, "Confirm your email"), "/Account/ConfirmEmail"));
        await CheckAsync(page, $"email-confirmed-{shots}");
        await page.ClickAsync("#confirm-continue");
        await ExpectUrlAsync(page, "/Dashboard$");
        Assert.Equal(0, await page.Locator("#confirm-email-notice").CountAsync());

        // Settings, reached from the top bar.
        await page.ClickAsync("#nav-account");
        await ExpectUrlAsync(page, "/Account/Manage$");
        await CheckAsync(page, $"manage-{shots}");
        foreach (var (link, name) in new[] { ("#manage-nav-email", "email"), ("#manage-nav-password", "password"), ("#manage-nav-delete", "delete") })
        {
            await page.ClickAsync(link);
            await CheckAsync(page, $"manage-{name}-{shots}");
        }

        // A new email address: asked for on one page, effective once its link is opened.
        var newEmail = OwnerClient.NewEmail();
        await page.ClickAsync("#manage-nav-email");
        await page.FillAsync("#Input_NewEmail", newEmail);
        await page.ClickAsync("#change-email-submit");
        await ExpectUrlAsync(page, "/Account/Manage$");
        Assert.Contains(newEmail, await page.InnerTextAsync(".flash"), StringComparison.Ordinal);
        await CheckAsync(page, $"manage-email-sent-{shots}");
        await page.GotoAsync(Mailbox.Link(await app.Mailbox.WaitForAsync(newEmail, "new Watchtower email"), "/Account/ConfirmEmailChange"));
        Assert.Equal(newEmail, await page.InnerTextAsync("#new-email"));
        await CheckAsync(page, $"email-changed-{shots}");
        email = newEmail;
        await page.ClickAsync("#change-continue");
        await ExpectUrlAsync(page, "/Account/Manage$");
        Assert.Equal(newEmail, await page.InnerTextAsync("#account-email"));

        // A wrong current password shows its message next to the field.
        await page.ClickAsync("#manage-nav-password");
        await page.FillAsync("#Input_CurrentPassword", "not my password");
        await page.FillAsync("#Input_NewPassword", "a whole new phrase");
        await page.FillAsync("#Input_ConfirmPassword", "a whole new phrase");
        await page.ClickAsync("#change-password-submit");
        Assert.Contains("not your current password", await page.InnerTextAsync("#current-error"), StringComparison.Ordinal);
        await CheckAsync(page, $"manage-password-error-{shots}");

        // Two-factor: the QR code is drawn by the app; the code is computed from the key shown.
        await page.ClickAsync("#manage-nav-2fa");
        await CheckAsync(page, $"twofactor-off-{shots}");
        await page.ClickAsync("#enable-2fa");
        Assert.StartsWith("data:image/png;base64,", await page.GetAttributeAsync("#qr-code", "src"), StringComparison.Ordinal);
        await CheckAsync(page, $"enable-2fa-{shots}");
        var key = await page.InnerTextAsync("#shared-key");
        await page.FillAsync("#Input_Code", Totp.Code(key, DateTimeOffset.UtcNow));
        await page.ClickAsync("#enable-2fa-submit");
        await ExpectUrlAsync(page, "/Account/Manage/RecoveryCodes$");
        var codes = await page.Locator("#recovery-codes code").AllInnerTextsAsync();
        Assert.Equal(10, codes.Count);
        await CheckAsync(page, $"recovery-codes-{shots}");
        await page.ClickAsync("#codes-done");
        await CheckAsync(page, $"twofactor-on-{shots}");

        // Log out (the page behind the top bar's button, too); log in with the password and then a code.
        await page.GotoAsync("/Account/Logout");
        await CheckAsync(page, $"logout-{shots}");
        await page.ClickAsync("#logout");
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", Password);
        await page.ClickAsync("#login-submit");
        await ExpectUrlAsync(page, "/Account/LoginWith2fa");
        await CheckAsync(page, $"login-2fa-{shots}");
        await page.ClickAsync("#use-recovery-code");
        await CheckAsync(page, $"login-recovery-{shots}");
        await page.GoBackAsync();
        await page.FillAsync("#Input_Code", Totp.Code(key, DateTimeOffset.UtcNow));
        await page.ClickAsync("#twofactor-submit");
        await ExpectUrlAsync(page, "/Dashboard$");

        // Forgot password, from the log-in page, through the emailed link.
        await page.ClickAsync("#logout");
        await page.GotoAsync("/Account/Login");
        await page.ClickAsync("#forgot-password");
        await CheckAsync(page, $"forgot-{shots}");
        await page.FillAsync("#Input_Email", email);
        await page.ClickAsync("#forgot-submit");
        await page.WaitForSelectorAsync("#reset-sent");
        await CheckAsync(page, $"forgot-sent-{shots}");
        await page.GotoAsync(Mailbox.Link(await app.Mailbox.WaitForAsync(email, "Reset your"), "/Account/ResetPassword"));
        await CheckAsync(page, $"reset-{shots}");
        await page.FillAsync("#Input_Password", "fresh start phrase");
        await page.FillAsync("#Input_ConfirmPassword", "fresh start phrase");
        await page.ClickAsync("#reset-submit");
        await ExpectUrlAsync(page, "/Account/Login$");
        Assert.Contains("password was changed", await page.InnerTextAsync(".flash"), StringComparison.Ordinal);

        await context.DisposeAsync();
    }

    private static Task ExpectUrlAsync(IPage page, string pattern) =>
        Assertions.Expect(page).ToHaveURLAsync(new Regex(pattern), new() { Timeout = 45_000 });

    /// <summary>A full-page screenshot (TestResults/screenshots) and axe with no violation of any impact.</summary>
    private static async Task CheckAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", "account");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
        var result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0,
            $"axe on {name} ({page.Url}): " + string.Join("; ", result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
        // Nothing wider than the screen (a phone would scroll sideways).
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, $"{name} is wider than the {page.ViewportSize?.Width} px screen");
    }
}
