using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Watchtower.Testing;

/// <summary>Sign-up in a real browser as a person does it: the form, the link in the email, then log in.</summary>
public static class BrowserSignUp
{
    /// <summary>Signs up with <paramref name="email"/>, confirms through the emailed link, logs in; ends on the dashboard.</summary>
    public static async Task SignUpAsync(IPage page, WatchtowerApp app, string email, string password = OwnerClient.DefaultPassword)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(app);
        await page.GotoAsync("/Account/Register");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", password);
        await page.FillAsync("#Input_ConfirmPassword", password);
        await page.ClickAsync("#register-submit");
        await ExpectUrlAsync(page, "/Account/CheckEmail$");
        await page.GotoAsync(Mailbox.Link(await app.Mailbox.WaitForAsync(email, "Confirm your email"), "/Account/ConfirmEmail"));
        await page.ClickAsync("#confirm-continue");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", password);
        await page.ClickAsync("#login-submit");
        await ExpectUrlAsync(page, "/Dashboard$");
    }

    private static Task ExpectUrlAsync(IPage page, string pattern) =>
        Assertions.Expect(page).ToHaveURLAsync(new Regex(pattern), new() { Timeout = 45_000 });
}
