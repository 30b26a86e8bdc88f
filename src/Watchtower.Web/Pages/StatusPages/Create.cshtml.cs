using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Microsoft.Extensions.Options;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.StatusPages;

/// <remarks>A form that changes the team's things: editors and owners only, to look at as well as to send.</remarks>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class CreateModel(TeamScope scope, AuditLog audit, IOptions<QuotaOptions> quotas, TimeProvider time) : PageModel
{
    [BindProperty]
    public PageInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await PageValidation.ValidateAsync(Input, ModelState, scope.Db, null, cancellationToken);
        var held = await scope.Pages.CountAsync(cancellationToken);
        if (held >= quotas.Value.PagesPerTeam)
        {
            ModelState.AddModelError(string.Empty, $"This team has {held} status pages, the most this instance allows ({quotas.Value.PagesPerTeam}). Delete one, or ask the operator for more.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var page = new StatusPage
        {
            TeamId = scope.TeamId,
            Name = Input.Name,
            Slug = Input.Slug!,
            Description = Input.Description,
            CreatedAt = time.GetUtcNow(),
        };
        scope.Db.StatusPages.Add(page);
        try
        {
            await scope.Db.SaveChangesAsync(cancellationToken);
            audit.Record("page.created", AuditLog.Describe("status page", page.Name, page.Id), $"/status/{page.Slug}");
            await scope.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (PageValidation.IsUniqueViolation(ex))
        {
            // Another account took the slug between our check and our insert.
            ModelState.AddModelError("Input.Slug", $"The address /status/{Input.Slug} is taken. Choose another slug.");
            return Page();
        }

        TempData["Flash"] = $"Status page “{page.Name}” created. Choose the checks it shows.";
        return RedirectToPage("/StatusPages/Edit", new { id = page.Id });
    }
}
