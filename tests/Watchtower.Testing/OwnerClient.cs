using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Watchtower.Testing;

/// <summary>
/// A browser-like client for one account: keeps cookies, does not follow redirects, and posts
/// forms with the antiforgery token taken from the page, as a browser would.
/// </summary>
public sealed class OwnerClient : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient http;

    public OwnerClient(WatchtowerApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    public string Email { get; private set; } = "";

    public HttpClient Http => http;

    public static string NewEmail() => $"owner-{Guid.NewGuid():N}@example.com";

    public async Task<OwnerClient> RegisterAsync(string? email = null)
    {
        Email = email ?? NewEmail();
        var response = await PostFormAsync("/Account/Register", new()
        {
            ["Input.Email"] = Email,
            ["Input.Password"] = "correct horse battery",
            ["Input.ConfirmPassword"] = "correct horse battery",
        });
        if (response.Status != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Registration failed: {response.Status} {response.Text(".errors, .field-error")}");
        }

        return this;
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
