using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.StatusPages;

internal static class PageValidation
{
    /// <summary>Normalizes the input and adds field messages; the slug must be unique across the instance.</summary>
    public static async Task ValidateAsync(PageInput input, ModelStateDictionary modelState, WatchtowerDbContext db, int? currentPageId, CancellationToken cancellationToken)
    {
        input.Name = input.Name?.Trim() ?? "";
        input.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        input.Slug = string.IsNullOrWhiteSpace(input.Slug) ? Slugs.Suggest(input.Name) : input.Slug.Trim().ToLowerInvariant();
        if (modelState.GetFieldValidationState("Input.Name") == ModelValidationState.Invalid)
        {
            return;
        }

        if (Slugs.Validate(input.Slug) is { } slugError)
        {
            modelState.AddModelError("Input.Slug", slugError);
            return;
        }

        var taken = await db.StatusPages.AnyAsync(p => p.Slug == input.Slug && p.Id != (currentPageId ?? 0), cancellationToken);
        if (taken)
        {
            modelState.AddModelError("Input.Slug", $"The address /status/{input.Slug} is taken. Choose another slug.");
        }
    }

    public static bool IsUniqueViolation(DbUpdateException ex) =>
        ex.InnerException?.Message.Contains("unique", StringComparison.OrdinalIgnoreCase) == true
        || ex.InnerException?.Message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase) == true;
}
