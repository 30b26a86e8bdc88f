using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Watchtower.Testing;
using Watchtower.Web.Pages.Account;

namespace Watchtower.Web.Tests.Owner;

/// <summary>
/// Accounts through their pages on the real app (SQLite and PostgreSQL), with emails read from the
/// app's .eml pickup folder — sign-up, confirmation, reset, sessions, two-factor, waits, settings.
/// </summary>
public abstract class AccountTests(AppFixture fixture)
{
    private const string Password = OwnerClient.DefaultPassword;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> LoginForm(string email, string password) =>
        new() { ["Input.Email"] = email, ["Input.Password"] = password };

    private static Dictionary<string, string> SignUpForm(string email, string password = Password) =>
        new() { ["Input.Email"] = email, ["Input.Password"] = password, ["Input.ConfirmPassword"] = password };

    // ---- Sign-up and confirmation ----------------------------------------------------------

    [Fact]
    public async Task Sign_up_asks_to_check_email_and_the_confirmation_link_works_once()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        var email = OwnerClient.NewEmail();

        var response = await owner.PostFormAsync("/Account/Register", SignUpForm(email));

        Assert.Equal(HttpStatusCode.Redirect, response.Status);
        Assert.Equal("/Account/CheckEmail", response.Location!.OriginalString);
        var checkEmail = await owner.GetAsync("/Account/CheckEmail");
        Assert.Equal(email, checkEmail.Text("#sent-to"));

        var mail = await app.Mailbox.WaitForAsync(email, "Confirm your email");
        Assert.NotNull(mail.HtmlBody);
        var link = Mailbox.Link(mail, "/Account/ConfirmEmail");
        var first = await owner.GetAsync(link);
        Assert.Equal("confirmed", first.Document.QuerySelector("#confirm-email")!.GetAttribute("data-outcome"));
        var again = await owner.GetAsync(link);
        Assert.Equal("alreadyconfirmed", again.Document.QuerySelector("#confirm-email")!.GetAttribute("data-outcome"));
        Assert.Contains("used already", again.Text("#confirm-email"), StringComparison.Ordinal);

        // A tampered link confirms nothing.
        var tampered = await owner.GetAsync(link.Replace("code=", "code=x", StringComparison.Ordinal));
        Assert.Equal("invalid", tampered.Document.QuerySelector("#confirm-email")!.GetAttribute("data-outcome"));
    }

    [Fact]
    public async Task An_unconfirmed_owner_may_log_in_sees_the_notice_and_can_resend_once_a_minute()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync(confirm: false);
        await app.Mailbox.WaitForAsync(owner.Email, "Confirm your email");

        var dashboard = await owner.GetAsync("/Dashboard");
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Contains("Confirm your email address", dashboard.Text("#confirm-email-notice"), StringComparison.Ordinal);
        Assert.Contains(owner.Email, dashboard.Text("#confirm-email-notice"), StringComparison.Ordinal);

        // The sign-up mail went less than a minute ago: a resend now is refused, politely.
        var resend = await owner.PostFormAsync("/Account/Manage/ResendConfirmation", new() { ["returnUrl"] = "/Dashboard" }, formPage: "/Dashboard");
        Assert.Equal(HttpStatusCode.Redirect, resend.Status);
        Assert.Equal("/Dashboard", resend.Location!.OriginalString);
        Assert.Contains("less than a minute ago", (await owner.GetAsync("/Dashboard")).Text(".flash"), StringComparison.Ordinal);
        Assert.Equal(1, await app.Mailbox.CountAsync(owner.Email));

        // Once the minute has passed (moved back in the database), the button sends a fresh link that works.
        await using (var scope = app.CreateScope(out var db))
        {
            var user = await db.Users.SingleAsync(u => u.Email == owner.Email, Token);
            var token = await db.UserTokens.SingleAsync(t => t.UserId == user.Id && t.Name == "mail-sent:confirm", Token);
            token.Value = DateTimeOffset.UtcNow.AddMinutes(-2).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            await db.SaveChangesAsync(Token);
        }

        await owner.PostFormAsync("/Account/Manage/ResendConfirmation", new() { ["returnUrl"] = "/Dashboard" }, formPage: "/Dashboard");
        Assert.Contains("We sent a new link", (await owner.GetAsync("/Dashboard")).Text(".flash"), StringComparison.Ordinal);
        await owner.ConfirmEmailAsync();
        Assert.Empty((await owner.GetAsync("/Dashboard")).Text("#confirm-email-notice"));
    }

    [Theory]
    [InlineData("", Password, Password, "Input.Email", "Enter your email")]
    [InlineData("not-an-email", Password, Password, "Input.Email", "valid email")]
    [InlineData("new@example.com", "short", "short", "Input.Password", "at least 10")]
    [InlineData("new@example.com", Password, "something else", "Input.ConfirmPassword", "do not match")]
    [InlineData("new@example.com", "password123", "password123", "Input.Password", "most common")]
    [InlineData("new@example.com", "QwErTyUiOp", "QwErTyUiOp", "Input.Password", "most common")]
    public async Task Bad_registration_input_gets_a_message_next_to_the_field(string email, string password, string confirm, string field, string message)
    {
        using var owner = new OwnerClient(await fixture.UseAsync());

        var response = await owner.PostFormAsync("/Account/Register", new()
        {
            ["Input.Email"] = email, ["Input.Password"] = password, ["Input.ConfirmPassword"] = confirm,
        });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains(message, response.FieldError(field), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_ten_character_password_not_on_the_list_is_accepted()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);

        await owner.RegisterAsync(password: "vq7-kettle");

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/Dashboard")).Status);
    }

    [Fact]
    public async Task Sign_up_with_a_taken_address_looks_the_same_and_mails_the_owner_a_reset_link()
    {
        var app = await fixture.UseAsync();
        using var first = new OwnerClient(app);
        await first.RegisterAsync();
        using var stranger = new OwnerClient(app);
        using var newcomer = new OwnerClient(app);
        var newEmail = OwnerClient.NewEmail();

        var taken = await stranger.PostFormAsync("/Account/Register", SignUpForm(first.Email.ToUpperInvariant(), "another long secret"));
        var fresh = await newcomer.PostFormAsync("/Account/Register", SignUpForm(newEmail, "another long secret"));

        Assert.Equal(fresh.Status, taken.Status);
        Assert.Equal(fresh.Location, taken.Location);
        var takenPage = await stranger.GetAsync("/Account/CheckEmail");
        var freshPage = await newcomer.GetAsync("/Account/CheckEmail");
        Assert.Equal(freshPage.Text("main").Replace(newEmail, "ADDRESS", StringComparison.Ordinal),
            takenPage.Text("main").Replace(first.Email.ToUpperInvariant(), "ADDRESS", StringComparison.Ordinal));

        // The owner hears of it, with a link that sets a new password; no second account exists.
        var notice = await app.Mailbox.WaitForAsync(first.Email, "tried to sign up");
        Assert.Contains("already has one", notice.TextBody, StringComparison.Ordinal);
        var reset = Mailbox.Link(notice, "/Account/ResetPassword");
        var done = await stranger.PostFormAsync(reset, new() { ["Input.Password"] = "a brand new secret", ["Input.ConfirmPassword"] = "a brand new secret" }, formPage: reset);
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        await using var scope = app.CreateScope(out var db);
        var normalized = first.Email.ToUpperInvariant();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == normalized, Token));
    }

    // ---- Sign-in ----------------------------------------------------------------------------

    [Fact]
    public async Task Log_out_then_log_in_again()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();

        var logout = await owner.PostFormAsync("/Account/Logout", [], formPage: "/Dashboard");
        Assert.Equal(HttpStatusCode.Redirect, logout.Status);
        var afterLogout = await owner.GetAsync("/Dashboard");
        Assert.Equal(HttpStatusCode.Redirect, afterLogout.Status);
        Assert.StartsWith("/Account/Login", afterLogout.Location!.PathAndQueryOrOriginal(), StringComparison.Ordinal);

        var login = await owner.PostFormAsync("/Account/Login", LoginForm(owner.Email, Password));
        Assert.Equal(HttpStatusCode.Redirect, login.Status);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/Dashboard")).Status);
    }

    [Fact]
    public async Task A_login_return_url_must_be_local()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        await owner.PostFormAsync("/Account/Logout", [], formPage: "/Dashboard");

        var login = await owner.PostFormAsync("/Account/Login?ReturnUrl=https%3A%2F%2Fevil.example%2F",
            new() { ["Input.Email"] = owner.Email, ["Input.Password"] = Password, ["ReturnUrl"] = "https://evil.example/" }, formPage: "/Account/Login");

        Assert.Equal(HttpStatusCode.Redirect, login.Status);
        Assert.Equal("/Dashboard", login.Location!.OriginalString);
    }

    [Fact]
    public async Task An_unknown_address_and_a_wrong_password_get_the_same_answer()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        using var stranger = new OwnerClient(app);

        var unknown = await stranger.PostFormAsync("/Account/Login", LoginForm(OwnerClient.NewEmail(), "wrong password!"));
        var wrong = await stranger.PostFormAsync("/Account/Login", LoginForm(owner.Email, "wrong password!"));

        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(LoginModel.Refused, unknown.Text(".errors"));
        Assert.Equal(unknown.Text(".errors"), wrong.Text(".errors"));
    }

    /// <summary>
    /// Failures past the free ones make the next try wait (1 s, 2 s, 4 s …), counted from the last
    /// failure. A stranger learns nothing (same words as a wrong password), tries during the wait do
    /// not stretch it, and the owner with the right password is in as soon as it ends — not after
    /// the 15 minutes of Identity's fixed lockout.
    /// </summary>
    [Fact]
    public async Task Failed_sign_ins_make_the_next_try_wait_without_telling_a_stranger_and_the_owner_gets_in_after()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        await owner.PostFormAsync("/Account/Logout", [], formPage: "/Dashboard");
        using var attacker = new OwnerClient(app);
        var wrongAnswer = (await attacker.PostFormAsync("/Account/Login", LoginForm(owner.Email, "guess number 0"))).Text(".errors");

        // Five failures in a row are free; then each makes the next try wait twice as long: after
        // the seventh, 4 s (long enough that the tries below fall within it on a busy machine).
        for (var i = 1; i < 7; i++)
        {
            var (_, pending) = await FailuresAsync(app, owner.Email);
            if (pending is { } end)
            {
                await WaitUntilAsync(end);
            }

            var refused = await attacker.PostFormAsync("/Account/Login", LoginForm(owner.Email, $"guess number {i}"));
            Assert.Equal(wrongAnswer, refused.Text(".errors"));
        }

        var (failures, waitUntil) = await FailuresAsync(app, owner.Email);
        Assert.Equal(7, failures);
        var wait = waitUntil!.Value - DateTimeOffset.UtcNow;
        Assert.InRange(wait.TotalSeconds, 1, 4.05);

        // During the wait: the stranger's tries read exactly as a wrong password and change nothing,
        // and even the right password is not let in (nor judged).
        var duringWait = await attacker.PostFormAsync("/Account/Login", LoginForm(owner.Email, "guess number 7"));
        Assert.Equal(wrongAnswer, duringWait.Text(".errors"));
        var ownerTooSoon = await owner.PostFormAsync("/Account/Login", LoginForm(owner.Email, Password));
        Assert.Equal(HttpStatusCode.OK, ownerTooSoon.Status);
        Assert.Equal(wrongAnswer, ownerTooSoon.Text(".errors"));
        Assert.True(DateTimeOffset.UtcNow < waitUntil, "these tries fell within the wait");
        Assert.Equal((7, waitUntil), await FailuresAsync(app, owner.Email));

        // As soon as the wait is over, the owner's right password works and clears the slate.
        await WaitUntilAsync(waitUntil.Value);
        var ownerLater = await owner.PostFormAsync("/Account/Login", LoginForm(owner.Email, Password));
        Assert.Equal(HttpStatusCode.Redirect, ownerLater.Status);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/Dashboard")).Status);
        Assert.Equal((0, (DateTimeOffset?)null), await FailuresAsync(app, owner.Email));
    }

    [Fact]
    public async Task Each_further_failure_doubles_the_wait()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        using var attacker = new OwnerClient(app);
        var waits = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            var (_, until) = await FailuresAsync(app, owner.Email);
            if (until is { } end)
            {
                await WaitUntilAsync(end);
            }

            var before = DateTimeOffset.UtcNow;
            await attacker.PostFormAsync("/Account/Login", LoginForm(owner.Email, "not the password"));
            var (_, after) = await FailuresAsync(app, owner.Email);
            waits.Add(after is null ? 0 : (after.Value - before).TotalSeconds);
        }

        // Failures 1–4 leave no wait; the 5th to 8th 1, 2, 4 and 8 s (measured from just before each post).
        Assert.Equal(new double[] { 0, 0, 0, 0 }, waits.Take(4));
        foreach (var (expected, actual) in new[] { 1.0, 2, 4, 8 }.Zip(waits.Skip(4)))
        {
            Assert.InRange(actual, expected, expected + 1.5);
        }
    }

    // ---- Sessions ---------------------------------------------------------------------------

    public enum SessionEnd
    {
        LogOut,
        SignOutEverywhere,
        PasswordChange,
    }

    [Theory]
    [InlineData(SessionEnd.LogOut)]
    [InlineData(SessionEnd.SignOutEverywhere)]
    [InlineData(SessionEnd.PasswordChange)]
    public async Task A_copied_session_cookie_stops_working(SessionEnd how)
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        using var copy = owner.CopySession();
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/Dashboard")).Status);

        switch (how)
        {
            case SessionEnd.LogOut:
                await owner.PostFormAsync("/Account/Logout", [], formPage: "/Dashboard");
                break;
            case SessionEnd.SignOutEverywhere:
                var signedOut = await owner.PostFormAsync("/Account/Manage?handler=SignOutEverywhere", [], formPage: "/Account/Manage");
                Assert.Equal(HttpStatusCode.Redirect, signedOut.Status);
                Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/Dashboard")).Status); // this browser stays in
                break;
            case SessionEnd.PasswordChange:
                var changed = await owner.PostFormAsync("/Account/Manage/ChangePassword", new()
                {
                    ["Input.CurrentPassword"] = Password, ["Input.NewPassword"] = "a whole new phrase", ["Input.ConfirmPassword"] = "a whole new phrase",
                });
                Assert.Equal(HttpStatusCode.Redirect, changed.Status);
                Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/Dashboard")).Status);
                break;
        }

        var stale = await copy.GetAsync("/Dashboard");
        Assert.Equal(HttpStatusCode.Redirect, stale.Status);
        Assert.StartsWith("/Account/Login", stale.Location!.PathAndQueryOrOriginal(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_current_password_does_not_change_it()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();

        var response = await owner.PostFormAsync("/Account/Manage/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = "not my password", ["Input.NewPassword"] = "a whole new phrase", ["Input.ConfirmPassword"] = "a whole new phrase",
        });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains("not your current password", response.FieldError("Input.CurrentPassword"), StringComparison.Ordinal);
    }

    // ---- Forgotten password -----------------------------------------------------------------

    [Fact]
    public async Task A_reset_link_works_once_and_the_old_password_stops_working()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        using var otherDevice = owner.CopySession();
        using var visitor = new OwnerClient(app);

        var asked = await visitor.PostFormAsync("/Account/ForgotPassword", new() { ["Input.Email"] = owner.Email });
        Assert.Equal(HttpStatusCode.Redirect, asked.Status);
        var link = Mailbox.Link(await app.Mailbox.WaitForAsync(owner.Email, "Reset your"), "/Account/ResetPassword");

        var form = new Dictionary<string, string> { ["Input.Password"] = "fresh start phrase", ["Input.ConfirmPassword"] = "fresh start phrase" };
        var reset = await visitor.PostFormAsync(link, form, formPage: link);
        Assert.Equal(HttpStatusCode.Redirect, reset.Status);
        Assert.Equal("/Account/Login", reset.Location!.OriginalString);

        var reused = await visitor.PostFormAsync(link, new() { ["Input.Password"] = "third time lucky", ["Input.ConfirmPassword"] = "third time lucky" }, formPage: link);
        Assert.Equal(HttpStatusCode.OK, reused.Status);
        Assert.Contains("does not work any more", reused.Text(".errors"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await visitor.PostFormAsync("/Account/Login", LoginForm(owner.Email, Password))).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.PostFormAsync("/Account/Login", LoginForm(owner.Email, "fresh start phrase"))).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await otherDevice.GetAsync("/Dashboard")).Status); // sessions of the old password ended
    }

    [Fact]
    public async Task Forgot_password_answers_the_same_for_an_unknown_address_and_mails_nothing()
    {
        var app = await fixture.UseAsync();
        using var visitor = new OwnerClient(app);
        var unknown = OwnerClient.NewEmail();

        var asked = await visitor.PostFormAsync("/Account/ForgotPassword", new() { ["Input.Email"] = unknown });

        Assert.Equal(HttpStatusCode.Redirect, asked.Status);
        Assert.Equal("/Account/ForgotPassword?Sent=True", asked.Location!.OriginalString);
        Assert.Contains("If an account uses that address", (await visitor.GetAsync(asked.Location.OriginalString)).Text("#reset-sent"), StringComparison.Ordinal);
        await Task.Delay(300, Token);
        Assert.Equal(0, await app.Mailbox.CountAsync(unknown));
    }

    // ---- Two-factor authentication ----------------------------------------------------------

    [Fact]
    public async Task Two_factor_sign_in_takes_a_real_totp_code_or_a_recovery_code_once()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        var (key, recoveryCodes) = await EnableTwoFactorAsync(owner);
        Assert.Equal(10, recoveryCodes.Count);
        await owner.PostFormAsync("/Account/Logout", [], formPage: "/Dashboard");

        // Password first, then the code.
        var step1 = await owner.PostFormAsync("/Account/Login", LoginForm(owner.Email, Password));
        Assert.Equal(HttpStatusCode.Redirect, step1.Status);
        Assert.StartsWith("/Account/LoginWith2fa", step1.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.GetAsync("/Dashboard")).Status); // not in yet
        var wrong = await owner.PostFormAsync(step1.Location.OriginalString, new() { ["Input.Code"] = WrongCode(key) });
        Assert.Contains("not right", wrong.FieldError("Input.Code"), StringComparison.Ordinal);
        var step2 = await owner.PostFormAsync(step1.Location.OriginalString, new() { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, step2.Status);
        Assert.Equal("/Dashboard", step2.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/Dashboard")).Status);

        // A recovery code instead of the app: it works once.
        await owner.PostFormAsync("/Account/Logout", [], formPage: "/Dashboard");
        await owner.PostFormAsync("/Account/Login", LoginForm(owner.Email, Password));
        var recovered = await owner.PostFormAsync("/Account/LoginWithRecoveryCode", new() { ["Input.RecoveryCode"] = recoveryCodes[0] });
        Assert.Equal(HttpStatusCode.Redirect, recovered.Status);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/Dashboard")).Status);
        Assert.Contains("9", (await owner.GetAsync("/Account/Manage/TwoFactor")).Text("#recovery-left"), StringComparison.Ordinal);

        await owner.PostFormAsync("/Account/Logout", [], formPage: "/Dashboard");
        await owner.PostFormAsync("/Account/Login", LoginForm(owner.Email, Password));
        var reused = await owner.PostFormAsync("/Account/LoginWithRecoveryCode", new() { ["Input.RecoveryCode"] = recoveryCodes[0] });
        Assert.Equal(HttpStatusCode.OK, reused.Status);
        Assert.Contains("used already", reused.FieldError("Input.RecoveryCode"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.GetAsync("/Dashboard")).Status);
    }

    [Fact]
    public async Task Two_factor_can_be_turned_off_and_the_key_reset()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        var (oldKey, _) = await EnableTwoFactorAsync(owner);

        var reset = await owner.PostFormAsync("/Account/Manage/TwoFactor?handler=Reset", [], formPage: "/Account/Manage/TwoFactor");
        Assert.Equal("/Account/Manage/EnableAuthenticator", reset.Location!.OriginalString);
        var newKey = (await owner.GetAsync("/Account/Manage/EnableAuthenticator")).Text("#shared-key");
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal("false", (await owner.GetAsync("/Account/Manage/TwoFactor")).Document.QuerySelector("#two-factor")!.GetAttribute("data-enabled"));
        var stale = await owner.PostFormAsync("/Account/Manage/EnableAuthenticator", new() { ["Input.Code"] = Totp.Code(oldKey, DateTimeOffset.UtcNow) });
        Assert.Contains("not right", stale.FieldError("Input.Code"), StringComparison.Ordinal);
        var enabled = await owner.PostFormAsync("/Account/Manage/EnableAuthenticator", new() { ["Input.Code"] = Totp.Code(newKey, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, enabled.Status);

        var off = await owner.PostFormAsync("/Account/Manage/TwoFactor?handler=Disable", [], formPage: "/Account/Manage/TwoFactor");
        Assert.Equal(HttpStatusCode.Redirect, off.Status);
        await owner.PostFormAsync("/Account/Logout", [], formPage: "/Dashboard");
        var login = await owner.PostFormAsync("/Account/Login", LoginForm(owner.Email, Password));
        Assert.Equal("/Dashboard", login.Location!.OriginalString);
    }

    // ---- Settings: email, data, deletion -------------------------------------------------------

    [Fact]
    public async Task A_new_email_address_takes_effect_only_once_confirmed_and_the_link_works_once()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        using var otherDevice = owner.CopySession();
        var oldEmail = owner.Email;
        var newEmail = OwnerClient.NewEmail();

        var asked = await owner.PostFormAsync("/Account/Manage/Email", new() { ["Input.NewEmail"] = newEmail });
        Assert.Equal(HttpStatusCode.Redirect, asked.Status);
        Assert.Equal(oldEmail, (await owner.GetAsync("/Account/Manage")).Text("#account-email")); // not yet

        var link = Mailbox.Link(await app.Mailbox.WaitForAsync(newEmail, "new Watchtower email"), "/Account/ConfirmEmailChange");
        var changed = await owner.GetAsync(link);
        Assert.Equal("changed", changed.Document.QuerySelector("#confirm-email-change")!.GetAttribute("data-outcome"));
        Assert.Equal(newEmail, (await owner.GetAsync("/Account/Manage")).Text("#account-email")); // this browser stays in
        Assert.Equal(HttpStatusCode.Redirect, (await otherDevice.GetAsync("/Dashboard")).Status);
        await app.Mailbox.WaitForAsync(oldEmail, "email address was changed");

        Assert.Equal("invalid", (await owner.GetAsync(link)).Document.QuerySelector("#confirm-email-change")!.GetAttribute("data-outcome"));
        using var again = new OwnerClient(app);
        Assert.Equal(HttpStatusCode.OK, (await again.PostFormAsync("/Account/Login", LoginForm(oldEmail, Password))).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await again.PostFormAsync("/Account/Login", LoginForm(newEmail, Password))).Status);
    }

    [Fact]
    public async Task Download_my_data_has_pages_and_checks_with_settings_but_no_secrets()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        await EnableTwoFactorAsync(owner);
        var checkId = await owner.CreateCheckAsync(OwnerSteps.CheckForm(name: "Mail server", port: "2525"));
        var pageId = await owner.CreatePageAsync("Acme");

        var token = await owner.AntiforgeryTokenAsync("/Account/Manage");
        using var body = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
        using var response = await owner.Http.PostAsync(new Uri("/Account/Manage?handler=Download", UriKind.Relative), body, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var json = await response.Content.ReadAsStringAsync(Token);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(owner.Email, root.GetProperty("account").GetProperty("email").GetString());
        Assert.True(root.GetProperty("account").GetProperty("twoFactorEnabled").GetBoolean());
        Assert.Equal(pageId, root.GetProperty("statusPages")[0].GetProperty("id").GetInt32());
        var check = root.GetProperty("checks")[0];
        Assert.Equal(checkId, check.GetProperty("id").GetInt32());
        Assert.Equal("Mail server", check.GetProperty("name").GetString());
        Assert.Equal("Tcp", check.GetProperty("kind").GetString());
        Assert.Equal("127.0.0.1", check.GetProperty("settings").GetProperty("host").GetString());
        Assert.Equal(2525, check.GetProperty("settings").GetProperty("port").GetInt32());

        await using var scope = app.CreateScope(out var db);
        var user = await db.Users.SingleAsync(u => u.Email == owner.Email, Token);
        // Identity keeps the authenticator key and the recovery codes as the store's own tokens.
        var secrets = await db.UserTokens.Where(t => t.UserId == user.Id && t.LoginProvider == "[AspNetUserStore]").Select(t => t.Value).ToListAsync(Token);
        Assert.Equal(2, secrets.Count);
        foreach (var secret in secrets.Append(user.PasswordHash).Append(user.SecurityStamp).Append(user.ConcurrencyStamp))
        {
            Assert.False(string.IsNullOrEmpty(secret));
            Assert.DoesNotContain(secret!, json, StringComparison.Ordinal);
        }

        foreach (var name in new[] { "passwordHash", "securityStamp", "authenticatorKey", "recoveryCodes", "concurrencyStamp" })
        {
            Assert.DoesNotContain($"\"{name}\"", json, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Deleting_the_account_needs_the_phrase_and_password_and_takes_pages_and_checks_with_it()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        using var otherDevice = owner.CopySession();
        var checkId = await owner.CreateCheckAsync();
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Doomed", slug);
        await owner.SetPageChecksAsync(pageId, "Doomed", slug, checkId);

        var noPhrase = await owner.PostFormAsync("/Account/Manage/Delete", new() { ["Input.Password"] = Password, ["Input.Confirmation"] = "yes" });
        Assert.Contains("exactly", noPhrase.FieldError("Input.Confirmation"), StringComparison.Ordinal);
        var wrongPassword = await owner.PostFormAsync("/Account/Manage/Delete", new() { ["Input.Password"] = "not it at all", ["Input.Confirmation"] = DeleteModelPhrase });
        Assert.Contains("not your password", wrongPassword.FieldError("Input.Password"), StringComparison.Ordinal);
        await using (var scope = app.CreateScope(out var db))
        {
            Assert.True(await db.Checks.AnyAsync(c => c.Id == checkId, Token));
        }

        var deleted = await owner.PostFormAsync("/Account/Manage/Delete", new() { ["Input.Password"] = Password, ["Input.Confirmation"] = " Delete My Account " });

        Assert.Equal(HttpStatusCode.Redirect, deleted.Status);
        Assert.Equal("/", deleted.Location!.OriginalString);
        await using (var scope = app.CreateScope(out var db))
        {
            Assert.False(await db.Users.AnyAsync(u => u.Email == owner.Email, Token));
            Assert.False(await db.Checks.AnyAsync(c => c.Id == checkId, Token));
            Assert.False(await db.StatusPages.AnyAsync(p => p.Id == pageId, Token));
            Assert.False(await db.StatusPageChecks.AnyAsync(p => p.StatusPageId == pageId, Token));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/status/{slug}")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await otherDevice.GetAsync("/Dashboard")).Status);
        Assert.Equal(HttpStatusCode.OK, (await owner.PostFormAsync("/Account/Login", LoginForm(owner.Email, Password))).Status);
    }

    [Theory]
    [InlineData("/Dashboard")]
    [InlineData("/StatusPages/Create")]
    [InlineData("/StatusPages/1/Edit")]
    [InlineData("/StatusPages/1/Delete")]
    [InlineData("/Checks/Create")]
    [InlineData("/Checks/1")]
    [InlineData("/Checks/1/Edit")]
    [InlineData("/Checks/1/Delete")]
    [InlineData("/Account/Manage")]
    [InlineData("/Account/Manage/Email")]
    [InlineData("/Account/Manage/ChangePassword")]
    [InlineData("/Account/Manage/TwoFactor")]
    [InlineData("/Account/Manage/EnableAuthenticator")]
    [InlineData("/Account/Manage/Delete")]
    public async Task Owner_routes_send_anonymous_visitors_to_log_in(string url)
    {
        using var anonymous = new OwnerClient(await fixture.UseAsync());

        var response = await anonymous.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.Status);
        Assert.StartsWith("/Account/Login", response.Location!.PathAndQueryOrOriginal(), StringComparison.Ordinal);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private const string DeleteModelPhrase = Pages.Account.Manage.DeleteModel.Phrase;

    /// <summary>Sets up the authenticator with a code computed here from the shown key; returns the key and the recovery codes shown once.</summary>
    internal static async Task<(string Key, List<string> RecoveryCodes)> EnableTwoFactorAsync(OwnerClient owner)
    {
        var setup = await owner.GetAsync("/Account/Manage/EnableAuthenticator");
        var key = setup.Text("#shared-key");
        Assert.StartsWith("data:image/png;base64,", setup.Document.QuerySelector("#qr-code")!.GetAttribute("src"), StringComparison.Ordinal);
        var enabled = await owner.PostFormAsync("/Account/Manage/EnableAuthenticator", new() { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.True(enabled.Status == HttpStatusCode.Redirect, enabled.Text(".field-error, .errors"));
        Assert.Equal("/Account/Manage/RecoveryCodes", enabled.Location!.OriginalString);
        var codes = (await owner.GetAsync("/Account/Manage/RecoveryCodes")).Document.QuerySelectorAll("#recovery-codes code").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(HttpStatusCode.Redirect, (await owner.GetAsync("/Account/Manage/RecoveryCodes")).Status); // shown once
        return (key, codes);
    }

    /// <summary>A six-digit code that no nearby time step produces.</summary>
    private static string WrongCode(string key)
    {
        var near = Enumerable.Range(-3, 7).Select(i => Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30 * i))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !near.Contains(c));
    }

    private static async Task<(int Failures, DateTimeOffset? WaitUntil)> FailuresAsync(WatchtowerApp app, string email)
    {
        await using var scope = app.CreateScope(out var db);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == email, Token);
        return (user.AccessFailedCount, user.LockoutEnd);
    }

    private static async Task WaitUntilAsync(DateTimeOffset moment)
    {
        var wait = moment - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, Token);
        }
    }
}

internal static class UriExtensions
{
    public static string PathAndQueryOrOriginal(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}

public sealed class AccountTests_Sqlite(SqliteAppFixture fixture) : AccountTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class AccountTests_Postgres(PostgresAppFixture fixture) : AccountTests(fixture), IClassFixture<PostgresAppFixture>;
