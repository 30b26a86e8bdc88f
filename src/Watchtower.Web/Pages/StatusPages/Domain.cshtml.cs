using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Branding;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.StatusPages;

/// <summary>
/// A page's custom domain: the owner names it, publishes a TXT record with the page's token at
/// _watchtower.&lt;domain&gt;, and presses Verify. Only then do requests for that Host serve the page.
/// A name that is an address, local, this instance's own, malformed, or another page's (any team's)
/// is refused with a message next to the field.
/// </summary>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class DomainModel(TeamScope scope, AuditLog audit, IOutputCacheStore cache, CustomDomains domains, DomainVerifier verifier, PublicAddress publicAddress, TimeProvider time) : PageModel
{
    [BindProperty]
    public DomainInput Input { get; set; } = new();

    public StatusPage? StatusPage { get; private set; }

    /// <summary>What the last Verify found, when it found nothing.</summary>
    public string? VerifyProblem { get; private set; }

    public sealed class DomainInput
    {
        [Display(Name = "Custom domain")]
        [StringLength(StatusPage.DomainMaxLength, ErrorMessage = "Use at most {1} characters.")]
        public string? Domain { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        StatusPage = await scope.FindPageAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        Input = new DomainInput { Domain = StatusPage.CustomDomain };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        StatusPage = await scope.FindPageAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var ownHosts = new[] { publicAddress.Host, Request.Host.Host }.OfType<string>();
        var (domain, error) = DomainNames.Normalize(Input.Domain, ownHosts);
        if (error is not null)
        {
            ModelState.AddModelError("Input.Domain", error);
            return Page();
        }

        if (domain is not null && await scope.Db.StatusPages.AnyAsync(p => p.CustomDomain == domain && p.Id != id, cancellationToken))
        {
            ModelState.AddModelError("Input.Domain", TakenMessage(domain));
            return Page();
        }

        if (domain != StatusPage.CustomDomain)
        {
            StatusPage.CustomDomain = domain;
            StatusPage.DomainVerifiedAt = null;
            StatusPage.DomainToken ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }

        audit.Record("page.domain", AuditLog.Describe("status page", StatusPage.Name, StatusPage.Id), domain ?? "removed");
        try
        {
            await scope.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (PageValidation.IsUniqueViolation(ex))
        {
            ModelState.AddModelError("Input.Domain", TakenMessage(domain!));
            return Page();
        }

        await ChangedAsync(cancellationToken);
        TempData["Flash"] = domain is null ? "Custom domain removed." : $"Custom domain {domain} saved. Add the TXT record below, then press Verify.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostVerifyAsync(int id, CancellationToken cancellationToken)
    {
        StatusPage = await scope.FindPageAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        ModelState.Clear();
        Input = new DomainInput { Domain = StatusPage.CustomDomain };
        if (StatusPage.CustomDomain is null || StatusPage.DomainToken is null)
        {
            VerifyProblem = "Save a custom domain first.";
            return Page();
        }

        var outcome = await verifier.VerifyAsync(StatusPage.CustomDomain, StatusPage.DomainToken, cancellationToken);
        if (!outcome.Verified)
        {
            VerifyProblem = outcome.Message;
            return Page();
        }

        StatusPage.DomainVerifiedAt = time.GetUtcNow();
        audit.Record("page.domain.verified", AuditLog.Describe("status page", StatusPage.Name, StatusPage.Id), StatusPage.CustomDomain);
        await scope.Db.SaveChangesAsync(cancellationToken);
        await ChangedAsync(cancellationToken);
        TempData["Flash"] = $"{StatusPage.CustomDomain} is verified: it now serves this page.";
        return RedirectToPage(new { id });
    }

    private static string TakenMessage(string domain) => $"{domain} is already used by another status page. Each domain can serve one page.";

    private async Task ChangedAsync(CancellationToken cancellationToken)
    {
        domains.Invalidate();
        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
    }
}
