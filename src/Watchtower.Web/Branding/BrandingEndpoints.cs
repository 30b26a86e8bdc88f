using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Branding;

/// <summary>
/// What a page's header loads besides the page, and the question a TLS-terminating proxy asks:
/// <list type="bullet">
/// <item><c>/status/{slug}/logo-{hash}.{ext}</c>: the logo (a password page's also on its password form); the hash is of its bytes, so the address changes with the image and the answer is cached for a year.</item>
/// <item><c>/status/{slug}/theme-{rrggbb}.css</c>: the accent colour's stylesheet (the page's CSP allows no inline style); made from the address alone.</item>
/// <item><c>/.well-known/watchtower/domain-check?domain=x</c>: 200 when x is a page's verified custom domain, else 404 (Caddy's on-demand TLS "ask").</item>
/// </list>
/// </summary>
public static class BrandingEndpoints
{
    public const string LogoRoute = "/status/{slug}/logo-{hash:regex(^[0-9a-f]{{16}}$)}.{ext:regex(^(png|jpg|webp)$)}";
    public const string ThemeRoute = "/status/{slug}/theme-{color:regex(^[0-9a-fA-F]{{6}}$)}.css";
    public const string DomainCheckRoute = "/.well-known/watchtower/domain-check";

    private const string Immutable = "public, max-age=31536000, immutable";

    public static void MapWatchtowerBranding(this IEndpointRouteBuilder app)
    {
        app.MapGet(LogoRoute, LogoAsync).WithMetadata(new PublicPageAttribute()).AllowAnonymous();
        app.MapGet(ThemeRoute, Theme).WithMetadata(new PublicPageAttribute()).AllowAnonymous();
        app.MapGet(DomainCheckRoute, DomainCheckAsync).WithMetadata(new PublicPageAttribute()).AllowAnonymous();
    }

    private static async Task<IResult> LogoAsync(string slug, string hash, string ext, HttpContext context, WatchtowerDbContext db, PageAccess access, CancellationToken cancellationToken)
    {
        var normalized = slug.ToLowerInvariant();
        var page = await db.StatusPages.AsNoTracking().Where(p => p.Slug == normalized && p.LogoHash == hash)
            .Select(p => new { p.Id, p.Slug, p.TeamId, p.Visibility, p.PasswordHash, p.LogoContentType })
            .FirstOrDefaultAsync(cancellationToken);
        if (page is null || LogoImage.ExtensionOf(page.LogoContentType) != ext)
        {
            return Results.NotFound();
        }

        var gate = new PageGate(page.Id, page.Slug, page.TeamId, page.Visibility, PageAccess.Stamp(page.PasswordHash));
        // A password page's logo is on its password form too (readers see whose page asks), so it answers before the password;
        // a members page's only to its members.
        if (await access.DecideAsync(context, gate, databaseUp: true, cancellationToken) is not (Admission.Open or Admission.NeedsPassword))
        {
            return Results.NotFound();
        }

        var content = await db.StatusPageLogos.AsNoTracking().Where(l => l.StatusPageId == page.Id).Select(l => l.Content).FirstOrDefaultAsync(cancellationToken);
        if (content is null)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        // A private page's logo is the reader's alone (PageAccess set no-store); a public one is the same bytes forever at this address.
        if (!gate.IsPrivate)
        {
            headers.CacheControl = Immutable;
        }

        // An image, never a document: nothing in it may run, even if opened on its own.
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.ContentDisposition = "inline";
        return Results.Bytes(content, page.LogoContentType ?? "image/png");
    }

    private static IResult Theme(string color, HttpContext context)
    {
        context.Response.Headers.CacheControl = Immutable;
        return Results.Text(AccentColor.Stylesheet("#" + color.ToLowerInvariant()), "text/css; charset=utf-8");
    }

    private static async Task<Results<Ok<string>, NotFound<string>>> DomainCheckAsync(string? domain, CustomDomains domains, CancellationToken cancellationToken)
    {
        var name = (domain ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        return name.Length > 0 && name.Length <= 253 && await domains.SlugForAsync(name, cancellationToken) is not null
            ? TypedResults.Ok($"{name} is a verified custom domain.")
            : TypedResults.NotFound($"{(name.Length == 0 ? "No domain given" : "Not a verified custom domain")}.");
    }
}
