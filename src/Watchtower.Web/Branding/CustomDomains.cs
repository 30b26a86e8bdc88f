using System.Collections.Frozen;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Watchtower.Data;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Infrastructure.Outage;

namespace Watchtower.Web.Branding;

/// <summary>A request that came in on a page's verified custom domain.</summary>
public sealed record CustomSite(string Domain, string Slug);

/// <summary>
/// The verified custom domains of every page, held in memory: the Host header of every request is
/// looked up here, so a made-up Host costs a dictionary miss, never a database query. Re-read after
/// a change on this host (<see cref="Invalidate"/>) and every few seconds for changes made on
/// another; while the database is away the last map stays in use.
/// </summary>
public sealed class CustomDomains(IServiceScopeFactory scopes, TimeProvider time, IOptions<StatusPageOptions> options, ILogger<CustomDomains> logger) : IDisposable
{
    private const string ItemKey = "watchtower.custom-site";

    private readonly SemaphoreSlim reload = new(1, 1);
    private FrozenDictionary<string, string>? map;
    private DateTimeOffset nextLoad;

    /// <summary>The custom site a request came in on, if any (set by <see cref="UseCustomDomains"/>).</summary>
    public static CustomSite? SiteOf(HttpContext context) => context?.Items[ItemKey] as CustomSite;

    public void Invalidate() => nextLoad = DateTimeOffset.MinValue;

    /// <summary>The slug of the page whose verified domain is <paramref name="host"/>.</summary>
    public async ValueTask<string?> SlugForAsync(string host, CancellationToken cancellationToken)
    {
        var current = await MapAsync(cancellationToken);
        return current.GetValueOrDefault(host.TrimEnd('.').ToLowerInvariant());
    }

    private async ValueTask<FrozenDictionary<string, string>> MapAsync(CancellationToken cancellationToken)
    {
        if (map is { } loaded && time.GetUtcNow() < nextLoad)
        {
            return loaded;
        }

        await reload.WaitAsync(cancellationToken);
        try
        {
            if (map is { } fresh && time.GetUtcNow() < nextLoad)
            {
                return fresh;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
                var rows = await db.StatusPages.AsNoTracking()
                    .Where(p => p.CustomDomain != null && p.DomainVerifiedAt != null)
                    .Select(p => new { p.CustomDomain, p.Slug })
                    .ToListAsync(cancellationToken);
                map = rows.ToFrozenDictionary(r => r.CustomDomain!, r => r.Slug, StringComparer.Ordinal);
                nextLoad = time.GetUtcNow().AddSeconds(Math.Max(1, options.Value.DomainRefreshSeconds));
            }
            catch (Exception ex) when (DatabaseOutage.IsOutage(ex))
            {
                logger.LogWarning("Custom domains not re-read: the database is not reachable; using the last list");
                map ??= FrozenDictionary<string, string>.Empty;
                nextLoad = time.GetUtcNow().AddSeconds(10);
            }

            return map;
        }
        finally
        {
            reload.Release();
        }
    }

    /// <summary>
    /// A request whose Host is a verified custom domain is served that page's addresses at the root:
    /// <c>/</c> is <c>/status/{slug}</c>, <c>/history</c> is <c>/status/{slug}/history</c> and so on.
    /// Everything else of the instance (sign-in, the owner's pages) does not exist there. Static files
    /// are served before this runs; the on-demand TLS question and health answer on every host.
    /// </summary>
    public static IApplicationBuilder UseCustomDomains(IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (context.Features.Get<IStatusCodeReExecuteFeature>() is null && context.Features.Get<IExceptionHandlerPathFeature>() is null
                && !path.StartsWith("/.well-known/", StringComparison.OrdinalIgnoreCase) && !path.StartsWith("/health", StringComparison.OrdinalIgnoreCase))
            {
                var own = context.RequestServices.GetRequiredService<PublicAddress>().Host;
                var host = context.Request.Host.Host;
                if (!string.Equals(own, host, StringComparison.OrdinalIgnoreCase)
                    && await context.RequestServices.GetRequiredService<CustomDomains>().SlugForAsync(host, context.RequestAborted) is { } slug)
                {
                    context.Items[ItemKey] = new CustomSite(host.ToLowerInvariant(), slug);
                    var prefix = "/status/" + slug;
                    if (!path.Equals(prefix, StringComparison.OrdinalIgnoreCase) && !path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase))
                    {
                        context.Request.Path = path == "/" ? prefix : prefix + path;
                    }
                }
            }

            await next(context);
        });

    public void Dispose() => reload.Dispose();
}

/// <summary>Where a public page's links point: under /status/{slug}, or at the root of its custom domain.</summary>
public static class StatusLinks
{
    public static string Base(HttpContext context, string slug) =>
        CustomDomains.SiteOf(context) is { } site && string.Equals(site.Slug, slug, StringComparison.OrdinalIgnoreCase) ? "" : "/status/" + slug;

    public static string Home(string @base) => @base.Length == 0 ? "/" : @base;

    /// <summary>The path the reader asked for, as their address bar shows it (without /status/{slug} on a custom domain).</summary>
    public static string Visible(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "/";
        if (CustomDomains.SiteOf(context) is { } site)
        {
            var prefix = "/status/" + site.Slug;
            path = path.Length > prefix.Length ? path[prefix.Length..] : "/";
        }

        return path;
    }
}
