using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Branding;

/// <summary>How the public pages of a status page answer a reader the page is not open to.</summary>
public static class Gates
{
    /// <summary>
    /// Null when the reader may see the page. A password page sends to its password form; a members
    /// page sends a signed-out reader to sign in (on the instance's own host), and answers anyone
    /// else not found — the same answer as for a page that does not exist.
    /// </summary>
    public static IActionResult? Refusal(PageModel page, PageGate gate, Admission admission)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(gate);
        var @base = StatusLinks.Base(page.HttpContext, gate.Slug);
        return admission switch
        {
            Admission.Open => null,
            Admission.NeedsPassword => new RedirectResult($"{@base}/unlock?returnUrl={Uri.EscapeDataString(StatusLinks.Visible(page.HttpContext))}"),
            _ when page.User.Identity?.IsAuthenticated != true && CustomDomains.SiteOf(page.HttpContext) is null =>
                new RedirectResult($"/Account/Login?ReturnUrl={Uri.EscapeDataString(page.Request.Path.Value ?? "/")}"),
            _ => new NotFoundResult(),
        };
    }

    /// <summary>The gate of the page at <paramref name="slug"/>, read from the database; null when there is none.</summary>
    public static async Task<PageGate?> ReadAsync(WatchtowerDbContext db, string slug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var p = await db.StatusPages.AsNoTracking().Where(p => p.Slug == slug)
            .Select(p => new { p.Id, p.Slug, p.TeamId, p.Visibility, p.PasswordHash })
            .FirstOrDefaultAsync(cancellationToken);
        return p is null ? null : new PageGate(p.Id, p.Slug, p.TeamId, p.Visibility, PageAccess.Stamp(p.PasswordHash));
    }
}
