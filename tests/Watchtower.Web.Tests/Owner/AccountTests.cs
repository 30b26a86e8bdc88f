using System.Net;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

public abstract class AccountTests(AppFixture fixture)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Registering_signs_the_owner_in_and_opens_the_dashboard()
    {
        using var owner = new OwnerClient(await fixture.UseAsync());

        var response = await owner.PostFormAsync("/Account/Register", new()
        {
            ["Input.Email"] = OwnerClient.NewEmail(), ["Input.Password"] = Password, ["Input.ConfirmPassword"] = Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.Status);
        Assert.Equal("/Dashboard", response.Location!.OriginalString);
        var dashboard = await owner.GetAsync("/Dashboard");
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Contains("No status pages yet", dashboard.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", Password, Password, "Input.Email", "Enter your email")]
    [InlineData("not-an-email", Password, Password, "Input.Email", "valid email")]
    [InlineData("new@example.com", "short", "short", "Input.Password", "at least 10")]
    [InlineData("new@example.com", Password, "something else", "Input.ConfirmPassword", "do not match")]
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
    public async Task An_email_can_hold_only_one_account()
    {
        var app = await fixture.UseAsync();
        using var first = new OwnerClient(app);
        await first.RegisterAsync();
        using var second = new OwnerClient(app);

        var response = await second.PostFormAsync("/Account/Register", new()
        {
            ["Input.Email"] = first.Email.ToUpperInvariant(), ["Input.Password"] = Password, ["Input.ConfirmPassword"] = Password,
        });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains("already exists", response.FieldError("Input.Email"), StringComparison.Ordinal);
    }

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

        var login = await owner.PostFormAsync("/Account/Login", new() { ["Input.Email"] = owner.Email, ["Input.Password"] = Password });
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
    public async Task Repeated_wrong_passwords_lock_the_account()
    {
        var app = await fixture.UseAsync();
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync();
        await owner.PostFormAsync("/Account/Logout", [], formPage: "/Dashboard");

        var wrong = await owner.PostFormAsync("/Account/Login", new() { ["Input.Email"] = owner.Email, ["Input.Password"] = "wrong password!" });
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Contains("do not match", wrong.Text(".errors"), StringComparison.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            await owner.PostFormAsync("/Account/Login", new() { ["Input.Email"] = owner.Email, ["Input.Password"] = "wrong password!" });
        }

        var right = await owner.PostFormAsync("/Account/Login", new() { ["Input.Email"] = owner.Email, ["Input.Password"] = Password });

        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains("locked", right.Text(".errors"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.GetAsync("/Dashboard")).Status);
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
    public async Task Owner_routes_send_anonymous_visitors_to_log_in(string url)
    {
        using var anonymous = new OwnerClient(await fixture.UseAsync());

        var response = await anonymous.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.Status);
        Assert.StartsWith("/Account/Login", response.Location!.PathAndQueryOrOriginal(), StringComparison.Ordinal);
    }
}

internal static class UriExtensions
{
    public static string PathAndQueryOrOriginal(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}

public sealed class AccountTests_Sqlite(SqliteAppFixture fixture) : AccountTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class AccountTests_Postgres(PostgresAppFixture fixture) : AccountTests(fixture), IClassFixture<PostgresAppFixture>;
