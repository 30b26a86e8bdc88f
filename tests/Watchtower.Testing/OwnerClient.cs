using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Watchtower.Testing;

/// <summary>
/// A browser-like client for one account: keeps cookies, does not follow redirects, and posts
/// forms with the antiforgery token taken from the page, as a browser would.
/// </summary>
public sealed class OwnerClient : IDisposable
{
    public const string DefaultPassword = "correct horse battery";

    private static readonly HtmlParser Parser = new();
    private readonly HttpClient http;
    private readonly WatchtowerApp app;

    public OwnerClient(WatchtowerApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        this.app = app;
        http = app.CreateDefaultClient(app.ClientOptions.BaseAddress, new CookieContainerHandler(Cookies));
    }

    /// <summary>The browser's cookie jar (the session cookie among them).</summary>
    public CookieContainer Cookies { get; } = new();

    /// <summary>
    /// Another client holding a copy of this one's cookies as they are now — what someone who copied
    /// the session cookie (from another device, or by stealing it) would hold.
    /// </summary>
    public OwnerClient CopySession()
    {
        var copy = new OwnerClient(app) { Email = Email, Password = Password };
        foreach (Cookie cookie in Cookies.GetAllCookies())
        {
            copy.Cookies.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        }

        return copy;
    }

    public string Email { get; private set; } = "";

    public string Password { get; private set; } = DefaultPassword;

    public HttpClient Http => http;

    public static string NewEmail() => $"owner-{Guid.NewGuid():N}@example.com";

    /// <summary>
    /// Signs up (which ends on "check your email"), opens the confirmation link from the email unless
    /// <paramref name="confirm"/> is false, and logs in: the client then holds a session.
    /// </summary>
    public async Task<OwnerClient> RegisterAsync(string? email = null, bool confirm = true, string? password = null)
    {
        Email = email ?? NewEmail();
        Password = password ?? DefaultPassword;
        var response = await PostFormAsync("/Account/Register", new()
        {
            ["Input.Email"] = Email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });
        if (response.Status != HttpStatusCode.Redirect || response.Location?.OriginalString != "/Account/CheckEmail")
        {
            throw new InvalidOperationException($"Registration failed: {response.Status} {response.Text(".errors, .field-error")}");
        }

        if (confirm)
        {
            await ConfirmEmailAsync();
        }

        await LogInAsync();
        return this;
    }

    /// <summary>Opens the link of the next confirmation email to <see cref="Email"/>.</summary>
    public async Task ConfirmEmailAsync()
    {
        var message = await app.Mailbox.WaitForAsync(Email, "Confirm your email");
        var page = await GetAsync(Mailbox.Link(message, "/Account/ConfirmEmail"));
        if (page.Document.QuerySelector("#confirm-email")?.GetAttribute("data-outcome") != "confirmed")
        {
            throw new InvalidOperationException($"Confirmation failed: {page.Status} {page.Text("h1")}");
        }
    }

    /// <summary>Logs in with <see cref="Email"/> and <see cref="Password"/>; throws unless the app lets the client in.</summary>
    public async Task LogInAsync()
    {
        var login = await PostFormAsync("/Account/Login", new() { ["Input.Email"] = Email, ["Input.Password"] = Password });
        if (login.Status != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Login failed: {login.Status} {login.Text(".errors, .field-error")}");
        }
    }

    public async Task<Page> GetAsync(string url)
    {
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
        return await Page.FromAsync(response);
    }

    /// <summary>GETs <paramref name="formPage"/> (or <paramref name="url"/>) for its antiforgery token, then posts the fields.</summary>
    public async Task<Page> PostFormAsync(string url, Dictionary<string, string> fields, string? formPage = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var token = await AntiforgeryTokenAsync(formPage ?? url.Split('?')[0]);
        var body = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", token) };
        using var content = new FormUrlEncodedContent(body);
        using var response = await http.PostAsync(new Uri(url, UriKind.Relative), content);
        return await Page.FromAsync(response);
    }

    public async Task<string> AntiforgeryTokenAsync(string pageWithForm)
    {
        var page = await GetAsync(pageWithForm);
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        if (token is null)
        {
            // Pages of other accounts answer 404 without a form; a token from the dashboard is as valid.
            page = await GetAsync("/Dashboard");
            token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        }

        return token ?? throw new InvalidOperationException($"No antiforgery token on {pageWithForm}");
    }

    public void Dispose() => http.Dispose();

    public sealed record Page(HttpStatusCode Status, string Body, Uri? Location, IHtmlDocument Document)
    {
        public static async Task<Page> FromAsync(HttpResponseMessage response)
        {
            var body = await response.Content.ReadAsStringAsync();
            return new Page(response.StatusCode, body, response.Headers.Location, Parser.ParseDocument(body));
        }

        /// <summary>The text of the elements matching a CSS selector, joined.</summary>
        public string Text(string selector) =>
            string.Join(" | ", Document.QuerySelectorAll(selector).Select(e => e.TextContent.Trim()).Where(t => t.Length > 0));

        /// <summary>The message shown next to a field (its asp-validation-for span).</summary>
        public string FieldError(string fieldName) =>
            Document.QuerySelector($"[data-valmsg-for='{fieldName}']")?.TextContent.Trim() ?? "";

        public int IdFromLocation() =>
            int.Parse(Location!.OriginalString.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
