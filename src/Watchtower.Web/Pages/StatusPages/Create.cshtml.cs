using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.StatusPages;

public sealed class CreateModel(AccountScope scope, TimeProvider time) : PageModel
{
    [BindProperty]
    public PageInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await PageValidation.ValidateAsync(Input, ModelState, scope.Db, null, cancellationToken);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var page = new StatusPage
        {
            OwnerId = scope.UserId,
            Name = Input.Name,
            Slug = Input.Slug!,
            Description = Input.Description,
            CreatedAt = time.GetUtcNow(),
        };
        scope.Db.StatusPages.Add(page);
        try
        {
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
