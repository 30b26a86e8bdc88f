using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Parser;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Branding;

internal static class BrandingSteps
{
    private static readonly HtmlParser Parser = new();

    /// <summary>Posts the look-and-visibility form as a browser does (multipart, with the file if any).</summary>
    public static async Task<OwnerClient.Page> PostBrandingAsync(this OwnerClient owner, int pageId, Dictionary<string, string> fields, (byte[] Bytes, string FileName, string Type)? logo = null)
    {
        var url = $"/StatusPages/{pageId}/Branding";
        var token = await owner.AntiforgeryTokenAsync(url);
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(token), "__RequestVerificationToken");
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        if (logo is { } file)
        {
            var part = new ByteArrayContent(file.Bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(file.Type);
            content.Add(part, "Input.Logo", file.FileName);
        }

        using var response = await owner.Http.PostAsync(new Uri(url, UriKind.Relative), content);
        return await OwnerClient.Page.FromAsync(response);
    }

    public sealed record Reply(HttpStatusCode Status, AngleSharp.Html.Dom.IHtmlDocument Document, HttpResponseMessage Response, byte[] Bytes);

    /// <summary>A GET with a Host header of the test's choosing (a custom domain).</summary>
    public static async Task<Reply> GetAsync(HttpClient client, string url, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var document = response.Content.Headers.ContentType?.MediaType == "text/html" ? Parser.ParseDocument(System.Text.Encoding.UTF8.GetString(bytes)) : Parser.ParseDocument("");
        return new Reply(response.StatusCode, document, response, bytes);
    }
}
