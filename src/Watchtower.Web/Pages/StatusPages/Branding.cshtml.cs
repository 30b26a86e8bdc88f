using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Branding;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Infrastructure.Outage;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.StatusPages;

/// <summary>
/// A page's look and who may read it: logo, link to the owner's site, accent colour, visibility and
/// password. A field that is wrong (an oversized or non-image logo, a javascript: link, a colour that is
/// not #rrggbb) is a message next to it and nothing of the form is stored.
/// </summary>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class BrandingModel(TeamScope scope, AuditLog audit, IOutputCacheStore cache, StatusPageSnapshots snapshots) : PageModel
{
    private static readonly PasswordHasher<StatusPage> Hasher = new();

    [BindProperty]
    public BrandingInput Input { get; set; } = new();

    public StatusPage? StatusPage { get; private set; }

    public sealed class BrandingInput
    {
        [Display(Name = "Logo (PNG, JPEG or WebP; at most 512 KB and 1024×1024 pixels)")]
        public IFormFile? Logo { get; set; }

        [Display(Name = "Remove the logo")]
        public bool RemoveLogo { get; set; }

        [Display(Name = "Link to your site (optional)")]
        public string? SiteUrl { get; set; }

        [Display(Name = "Accent colour (optional)")]
        public string? AccentColor { get; set; }

        public StatusPageVisibility Visibility { get; set; }

        [Display(Name = "Page password")]
        [DataType(DataType.Password)]
        [StringLength(100, MinimumLength = 8, ErrorMessage = "Use from {2} to {1} characters.")]
        public string? NewPassword { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        StatusPage = await scope.FindPageAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        Input = new BrandingInput { SiteUrl = StatusPage.SiteUrl, AccentColor = StatusPage.AccentColor, Visibility = StatusPage.Visibility };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        StatusPage = await scope.FindPageAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        var (site, siteError) = SiteLink.Normalize(Input.SiteUrl, StatusPage.SiteUrlMaxLength);
        if (siteError is not null)
        {
            ModelState.AddModelError("Input.SiteUrl", siteError);
        }

        var (accent, accentError) = Branding.AccentColor.Normalize(Input.AccentColor);
        if (accentError is not null)
        {
            ModelState.AddModelError("Input.AccentColor", accentError);
        }

        if (!Enum.IsDefined(Input.Visibility))
        {
            ModelState.AddModelError("Input.Visibility", "Choose who may read the page.");
        }

        if (Input.Visibility == StatusPageVisibility.Password && string.IsNullOrEmpty(Input.NewPassword) && StatusPage.PasswordHash is null)
        {
            ModelState.AddModelError("Input.NewPassword", "Set a password for the page, or choose another visibility.");
        }

        LogoImage? logo = null;
        if (Input.Logo is { Length: > 0 } file && !Input.RemoveLogo)
        {
            if (file.Length > LogoImage.MaxBytes)
            {
                ModelState.AddModelError("Input.Logo", $"The logo is {file.Length / 1024:N0} KB; the most is {LogoImage.MaxBytes / 1024} KB. Make it smaller and upload it again.");
            }
            else
            {
                using var buffer = new MemoryStream((int)file.Length);
                await file.CopyToAsync(buffer, cancellationToken);
                var (image, error) = LogoImage.Read(buffer.ToArray());
                if (error is not null)
                {
                    ModelState.AddModelError("Input.Logo", error);
                }

                logo = image;
            }
        }
        else if (Input.Logo is { Length: 0 })
        {
            ModelState.AddModelError("Input.Logo", "The file is empty. Choose a PNG, JPEG or WebP image.");
        }

        if (!ModelState.IsValid)
        {
            Input.NewPassword = null;
            return Page();
        }

        StatusPage.SiteUrl = site;
        StatusPage.AccentColor = accent;
        StatusPage.Visibility = Input.Visibility;
        if (!string.IsNullOrEmpty(Input.NewPassword))
        {
            StatusPage.PasswordHash = Hasher.HashPassword(StatusPage, Input.NewPassword);
        }

        var existing = await scope.Db.StatusPageLogos.FirstOrDefaultAsync(l => l.StatusPageId == StatusPage.Id, cancellationToken);
        if (Input.RemoveLogo || logo is not null)
        {
            if (existing is not null)
            {
                scope.Db.StatusPageLogos.Remove(existing);
            }

            StatusPage.LogoHash = logo?.Hash;
            StatusPage.LogoContentType = logo?.ContentType;
            StatusPage.LogoWidth = logo?.Width;
            StatusPage.LogoHeight = logo?.Height;
        }

        audit.Record("page.branding", AuditLog.Describe("status page", StatusPage.Name, StatusPage.Id),
            $"visibility {StatusPage.Visibility}{(logo is null ? "" : $", logo {logo.Width}×{logo.Height}")}{(Input.RemoveLogo ? ", logo removed" : "")}");
        await scope.Db.SaveChangesAsync(cancellationToken);
        if (logo is not null)
        {
            // Removed and added in two saves: one row per page, and EF would not delete and insert the same key in one.
            scope.Db.StatusPageLogos.Add(new StatusPageLogo { StatusPageId = StatusPage.Id, Content = logo.Content });
            await scope.Db.SaveChangesAsync(cancellationToken);
        }

        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        // A page just made private must not come back from an outage's reading with its old rules.
        snapshots.Forget(StatusPage.Slug);
        TempData["Flash"] = "Look and visibility saved.";
        return RedirectToPage(new { id });
    }
}
