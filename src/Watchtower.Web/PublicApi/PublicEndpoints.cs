using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Watchtower.Web.Branding;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.PublicApi;

/// <summary>
/// What a public page offers besides its HTML: Atom and RSS feeds, SVG badges, Atlassian
/// Statuspage's v2 API and an embeddable widget, all under <c>/status/{slug}/</c> and open to
/// anyone. Every answer comes from the output cache (policy <see cref="WebSetup.StatusApiCachePolicy"/>,
/// evicted with the page by <see cref="WebSetup.StatusPageCacheTag"/>) and carries an ETag, so a
/// repeated request costs no database query and a revalidation no body. Bad input answers with
/// problem details (400), an unknown page or service with 404.
/// </summary>
public static class PublicEndpoints
{
    /// <summary>The uptime windows a badge may show, in days (24 hours, 7, 30 and 90 days).</summary>
    public static readonly IReadOnlyList<int> UptimeDays = [1, 7, 30, 90];

    public const int DefaultUptimeDays = 30;

    private const string JsonContentType = "application/json; charset=utf-8";

    public static IEndpointRouteBuilder MapWatchtowerPublicApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var page = endpoints.MapGroup("/status/{slug}")
            .WithMetadata(new PublicPageAttribute(), new AllowAnonymousAttribute())
            .CacheOutput(WebSetup.StatusApiCachePolicy);

        page.MapGet("/feed.atom", (string slug, HttpContext http, PublicPageReader reader, PageFeeds feeds, PublicAddress address) =>
            WithPageAsync(slug, http, reader, data => Send(http, feeds.Atom(data, Absolute(http, address)), PageFeeds.AtomContentType, maxAgeSeconds: 60)));
        page.MapGet("/feed.rss", (string slug, HttpContext http, PublicPageReader reader, PageFeeds feeds, PublicAddress address) =>
            WithPageAsync(slug, http, reader, data => Send(http, feeds.Rss(data, Absolute(http, address)), PageFeeds.RssContentType, maxAgeSeconds: 60)));

        page.MapGet("/badge.svg", (string slug, HttpContext http, PublicPageReader reader) =>
            WithPageAsync(slug, http, reader, data => SendBadge(http, Badge.ForOverall("status", data.Overall))));
        page.MapGet("/uptime.svg", async (string slug, HttpContext http, PublicPageReader reader, IUptimeSource uptime) =>
        {
            if (!TryDays(http, out var days, out var problem))
            {
                return problem;
            }

            return await WithPageAsync(slug, http, reader, async data =>
            {
                var combined = await uptime.CombinedUptimeAsync(data.Components.Select(c => c.CheckId).ToList(), days, http.RequestAborted);
                return SendBadge(http, Badge.ForUptime($"uptime {Badge.WindowName(days)}", combined));
            });
        });
        page.MapGet("/components/{checkId:int}/badge.svg", (string slug, int checkId, HttpContext http, PublicPageReader reader) =>
            WithComponentAsync(slug, checkId, http, reader, (_, component) => Task.FromResult(SendBadge(http, Badge.ForComponent(component)))));
        page.MapGet("/components/{checkId:int}/uptime.svg", async (string slug, int checkId, HttpContext http, PublicPageReader reader, IUptimeSource uptime) =>
        {
            if (!TryDays(http, out var days, out var problem))
            {
                return problem;
            }

            return await WithComponentAsync(slug, checkId, http, reader, async (_, component) =>
            {
                var values = await uptime.UptimeAsync([component.CheckId], days, http.RequestAborted);
                return SendBadge(http, Badge.ForUptime($"{component.Name} uptime {Badge.WindowName(days)}", values.GetValueOrDefault(component.CheckId)));
            });
        });

        // Atlassian Statuspage's public API v2: same paths, names and enumerations (docs/api.md).
        var api = page.MapGroup("/api/v2");
        MapJson(api, "/summary.json", s => s.Summary());
        MapJson(api, "/status.json", s => s.StatusResponse());
        MapJson(api, "/components.json", s => s.ComponentsResponse());
        MapJson(api, "/incidents.json", s => s.IncidentsResponse());
        MapJson(api, "/incidents/unresolved.json", s => s.UnresolvedResponse());
        MapJson(api, "/scheduled-maintenances.json", s => s.MaintenancesResponse());
        MapJson(api, "/scheduled-maintenances/upcoming.json", s => s.UpcomingResponse());
        MapJson(api, "/scheduled-maintenances/active.json", s => s.ActiveResponse());

        page.MapGet("/widget", (string slug, HttpContext http, PublicPageReader reader, PublicAddress address) =>
            WithPageAsync(slug, http, reader, data => Send(http, Widget.Render(data, Absolute(http, address)($"/status/{data.Slug}")), Widget.ContentType, maxAgeSeconds: 5)));
        return endpoints;
    }

    private static void MapJson<T>(RouteGroupBuilder api, string path, Func<StatuspageApi, T> shape) =>
        api.MapGet(path, (string slug, HttpContext http, PublicPageReader reader, PublicAddress address) =>
            WithPageAsync(slug, http, reader, data =>
            {
                // Statuspage answers any origin: status aggregators and dashboards read it from the browser.
                http.Response.Headers.AccessControlAllowOrigin = "*";
                var body = JsonSerializer.SerializeToUtf8Bytes(shape(new StatuspageApi(data, Absolute(http, address))), StatuspageApi.Json);
                return Send(http, body, JsonContentType, maxAgeSeconds: 5);
            }));

    /// <summary>
    /// Makes links absolute. On a page's verified custom domain its links are that domain's, at the
    /// root (<c>/status/{slug}/x</c> becomes <c>https://status.example.com/x</c>); elsewhere they are the
    /// instance's.
    /// </summary>
    private static Func<string, string> Absolute(HttpContext http, PublicAddress address) => path =>
    {
        if (CustomDomains.SiteOf(http) is { } site)
        {
            var prefix = "/status/" + site.Slug;
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (path.Length == prefix.Length || path[prefix.Length] is '/' or '#'))
            {
                var rest = path[prefix.Length..];
                return $"{http.Request.Scheme}://{site.Domain}{(rest.Length == 0 || rest[0] == '#' ? "/" + rest : rest)}";
            }
        }

        return address.Absolute(http.Request, $"{http.Request.PathBase}{path}");
    };

    private static Task<IResult> WithPageAsync(string slug, HttpContext http, PublicPageReader reader, Func<PublicPageData, IResult> answer) =>
        WithPageAsync(slug, http, reader, data => Task.FromResult(answer(data)));

    private static async Task<IResult> WithPageAsync(string slug, HttpContext http, PublicPageReader reader, Func<PublicPageData, Task<IResult>> answer)
    {
        var data = await reader.ReadAsync(slug, http.RequestAborted);
        if (data is null)
        {
            return NotFound(http, "There is no status page at this address.");
        }

        // A private page's feeds, badges and API are as closed as the page: to anyone it does not
        // admit they answer exactly as a page that does not exist (and nothing is cached).
        var access = http.RequestServices.GetRequiredService<PageAccess>();
        if (await access.DecideAsync(http, data.Gate, databaseUp: true, http.RequestAborted) != Admission.Open)
        {
            return NotFound(http, "There is no status page at this address.");
        }

        return await answer(data);
    }

    private static Task<IResult> WithComponentAsync(string slug, int checkId, HttpContext http, PublicPageReader reader, Func<PublicPageData, PublicComponent, Task<IResult>> answer) =>
        WithPageAsync(slug, http, reader, data =>
            data.Components.FirstOrDefault(c => c.CheckId == checkId) is { } component
                ? answer(data, component)
                : Task.FromResult(NotFound(http, "This status page shows no service with that id.")));

    private static IResult NotFound(HttpContext http, string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found", instance: http.Request.Path);

    /// <summary>Reads <c>?days=</c>: absent means 30; anything but one of 1, 7, 30, 90 (once) is a 400 with the allowed values.</summary>
    private static bool TryDays(HttpContext http, out int days, out IResult problem)
    {
        days = DefaultUptimeDays;
        problem = Results.Empty;
        var values = http.Request.Query["days"];
        if (values.Count == 0)
        {
            return true;
        }

        if (values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && UptimeDays.Contains(asked)
            && values[0]!.Length <= 2 && values[0]![0] != '0')
        {
            days = asked;
            return true;
        }

        problem = Results.Problem(
            title: "Unsupported uptime window",
            detail: "days must be one of 1, 7, 30 or 90 (the last 24 hours, 7, 30 or 90 days); leave it out for 30.",
            statusCode: StatusCodes.Status400BadRequest,
            instance: http.Request.Path);
        return false;
    }

    /// <summary>A strong validator of the body's bytes; the output cache answers a matching If-None-Match with 304.</summary>
    private static string ETagOf(byte[] body) => $"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12))}\"";

    private static IResult SendBadge(HttpContext http, Badge badge) => Send(http, badge.ToBytes(), Badge.ContentType, maxAgeSeconds: 60);

    private static IResult Send(HttpContext http, byte[] body, string contentType, int maxAgeSeconds)
    {
        var headers = http.Response.Headers;
        headers.ETag = ETagOf(body);
        headers.CacheControl = $"public, max-age={maxAgeSeconds.ToString(CultureInfo.InvariantCulture)}";
        return Results.Bytes(body, contentType);
    }
}
