using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Outage;

namespace Watchtower.Web.Pages.Status;

/// <summary>
/// The branded header every public page of a status page shares (<c>_Header.cshtml</c>): logo, name,
/// link back to the owner's site, accent colour. On the page itself the name is the heading; on its
/// sub-pages (history, an incident, the password form) the name links home and the sub-page has its own heading.
/// </summary>
public sealed record StatusHeader(string Name, string Base, PageBranding Branding)
{
    /// <summary>A line under the name (the page's description, or why the password form is shown).</summary>
    public string? Description { get; init; }

    /// <summary>True where the name is the page's h1 (the page itself, the password form).</summary>
    public bool NameIsHeading { get; init; }

    /// <summary>The page's accent stylesheet, for <c>ViewData["Theme"]</c> (the layout links it).</summary>
    public string? ThemePath => Branding.ThemePath(Base);

    public string? LogoPath => Branding.LogoPath(Base);

    /// <summary>The branding columns of a loaded page.</summary>
    public static PageBranding BrandingOf(StatusPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new(page.LogoHash, page.LogoContentType, page.LogoWidth, page.LogoHeight, page.SiteUrl, page.AccentColor);
    }
}
