using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Testing;
using Watchtower.Web.Pages.Account;

namespace Watchtower.Web.Tests.Owner;

/// <summary>
/// Two Web instances on one PostgreSQL database, as behind a load balancer: the waits after failed
/// sign-ins, ended sessions and emailed links hold on both, because all of it lives in the database.
/// </summary>
public sealed class TwoInstanceAccountTests
{
    [Fact]
    public async Task Waits_sessions_and_links_hold_across_instances()
    {
        var cancel = TestContext.Current.CancellationToken;
        // A first wait long enough that a busy machine still tries within it.
        var slowWait = new Dictionary<string, string?> { ["Watchtower:Accounts:FirstSignInDelay"] = "00:00:05" };
        await using var first = await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Postgres, Settings = slowWait }, cancel);
        // Same database; its own data folder (and so its own email pickup folder).
        await using var second = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Store = TestStore.Sqlite,
            Settings = new Dictionary<string, string?>(slowWait) { ["ConnectionStrings:Watchtower"] = first.PostgresConnectionString },
        }, cancel);

        using var owner = new OwnerClient(first);
        await owner.RegisterAsync();
        using var onSecond = new OwnerClient(second);
        using var attackerOnFirst = new OwnerClient(first);
        using var attackerOnSecond = new OwnerClient(second);
        var login = new Dictionary<string, string> { ["Input.Email"] = owner.Email, ["Input.Password"] = "guess again" };

        // A session made on the first instance works on the second (shared data-protection keys)…
        using var copy = owner.CopySession();
        using var sessionOnSecond = new OwnerClient(second);
        foreach (System.Net.Cookie cookie in copy.Cookies.GetAllCookies())
        {
            sessionOnSecond.Cookies.Add(cookie);
        }

        Assert.Equal(HttpStatusCode.OK, (await sessionOnSecond.GetAsync("/Dashboard")).Status);

        // …and ends on both when the owner logs out on the first.
        await owner.PostFormAsync("/Account/Logout", [], formPage: "/Dashboard");
        Assert.Equal(HttpStatusCode.Redirect, (await sessionOnSecond.GetAsync("/Dashboard")).Status);

        // Failures split over both instances count together; the wait they arm holds on both.
        for (var i = 0; i < 5; i++)
        {
            var attacker = i % 2 == 0 ? attackerOnFirst : attackerOnSecond;
            Assert.Equal(LoginModel.Refused, (await attacker.PostFormAsync("/Account/Login", login)).Text(".errors"));
        }

        DateTimeOffset waitUntil;
        await using (var scope = first.CreateScope(out var db))
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == owner.Email, cancel);
            Assert.Equal(5, user.AccessFailedCount);
            waitUntil = user.LockoutEnd!.Value;
            Assert.True(waitUntil > DateTimeOffset.UtcNow);
        }

        var tooSoon = await onSecond.PostFormAsync("/Account/Login", new() { ["Input.Email"] = owner.Email, ["Input.Password"] = owner.Password });
        Assert.Equal(HttpStatusCode.OK, tooSoon.Status);
        Assert.True(DateTimeOffset.UtcNow < waitUntil, "the right password was refused within the wait");
        await Task.Delay(waitUntil - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100), cancel);
        var later = await onSecond.PostFormAsync("/Account/Login", new() { ["Input.Email"] = owner.Email, ["Input.Password"] = owner.Password });
        Assert.Equal(HttpStatusCode.Redirect, later.Status);

        // A reset link mailed by the first instance works once, on the second.
        using var visitor = new OwnerClient(first);
        await visitor.PostFormAsync("/Account/ForgotPassword", new() { ["Input.Email"] = owner.Email });
        var link = Mailbox.Link(await first.Mailbox.WaitForAsync(owner.Email, "Reset your"), "/Account/ResetPassword");
        var form = new Dictionary<string, string> { ["Input.Password"] = "brand new phrase", ["Input.ConfirmPassword"] = "brand new phrase" };
        Assert.Equal(HttpStatusCode.Redirect, (await onSecond.PostFormAsync(link, form, formPage: link)).Status);
        using var visitorOnFirst = new OwnerClient(first);
        Assert.Equal(HttpStatusCode.OK, (await visitorOnFirst.PostFormAsync(link, form, formPage: link)).Status);
    }
}
