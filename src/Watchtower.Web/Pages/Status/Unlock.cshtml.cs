using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Web.Branding;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Infrastructure.Outage;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Status;

/// <summary>
/// The password form of a password-protected page. The right password sets a cookie for this page
/// only and returns the reader where they were going; posts are limited per client address and page
/// (<see cref="WebSetup.PagePasswordRateLimit"/>). Nothing here is cached.
/// </summary>
[PublicPage]
[EnableRateLimiting(WebSetup.PagePasswordRateLimit)]
public sealed class UnlockModel(WatchtowerDbContext db, PageAccess access) : PageModel
{
    private static readonly PasswordHasher<StatusPage> Hasher = new();

    [BindProperty]
    [Required(ErrorMessage = "Enter the page's password.")]
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string? Password { get; set; }

    public string Name { get; private set; } = "";
    public string Base { get; private set; } = "";
    public string ReturnUrl { get; private set; } = "/";

    /// <summary>The page's branded header: readers see whose page asks for the password.</summary>
    public StatusHeader Header { get; private set; } = new("", "", PageBranding.None);

    public async Task<IActionResult> OnGetAsync(string slug, string? returnUrl, CancellationToken cancellationToken)
    {
        PageAccess.KeepOutOfCaches(HttpContext);
        var page = await LoadAsync(slug, returnUrl, cancellationToken);
        if (page is null)
        {
            return NotFound();
        }

        return await access.DecideAsync(HttpContext, Gate(page), databaseUp: true, cancellationToken) == Admission.Open ? LocalRedirect(ReturnUrl) : Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, string? returnUrl, CancellationToken cancellationToken)
    {
        PageAccess.KeepOutOfCaches(HttpContext);
        var page = await LoadAsync(slug, returnUrl, cancellationToken);
        if (page is null)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (Hasher.VerifyHashedPassword(page, page.PasswordHash!, Password!) == PasswordVerificationResult.Failed)
        {
            ModelState.AddModelError(nameof(Password), "That password is not right. Ask the page's owner for it.");
            return Page();
        }

        access.GrantPassword(HttpContext, Gate(page), StatusLinks.Home(Base));
        return LocalRedirect(ReturnUrl);
    }

    private async Task<StatusPage?> LoadAsync(string slug, string? returnUrl, CancellationToken cancellationToken)
    {
        var normalized = (slug ?? "").ToLowerInvariant();
        // Only password pages have this form; any other answers not found, like a page that does not exist.
        var page = await db.StatusPages.AsNoTracking()
            .FirstOrDefaultAsync(p => p.Slug == normalized && p.Visibility == StatusPageVisibility.Password && p.PasswordHash != null, cancellationToken);
        if (page is null)
        {
            return null;
        }

        Name = page.Name;
        Base = StatusLinks.Base(HttpContext, page.Slug);
        Header = new StatusHeader(page.Name, Base, StatusHeader.BrandingOf(page)) { Description = "This status page is protected by a password.", NameIsHeading = true };
        var home = StatusLinks.Home(Base);
        // Back to one of this page's own addresses, never elsewhere.
        ReturnUrl = returnUrl is not null && Url.IsLocalUrl(returnUrl)
            && (returnUrl == home || returnUrl.StartsWith(Base + "/", StringComparison.OrdinalIgnoreCase))
            && !returnUrl.StartsWith(Base + "/unlock", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : home;
        ViewData["NoIndex"] = true;
        return page;
    }

    private static PageGate Gate(StatusPage page) => new(page.Id, page.Slug, page.TeamId, page.Visibility, PageAccess.Stamp(page.PasswordHash));
}
