using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.StatusPages;

public sealed class EditModel(AccountScope scope, IOutputCacheStore cache) : PageModel
{
    [BindProperty]
    public PageInput Input { get; set; } = new();

    /// <summary>One row per check of the account: whether the page shows it, and where.</summary>
    [BindProperty]
    public List<CheckChoice> Choices { get; set; } = [];

    public StatusPage? StatusPage { get; private set; }

    public sealed class CheckChoice
    {
        public int CheckId { get; set; }
        public bool Shown { get; set; }
        public int Position { get; set; }
        public string Name { get; set; } = "";
        public string Target { get; set; } = "";
        public CheckState State { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        StatusPage = await LoadAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        Input = new PageInput { Name = StatusPage.Name, Slug = StatusPage.Slug, Description = StatusPage.Description };
        await FillChoicesAsync(StatusPage, null, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        StatusPage = await LoadAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        var ownedIds = await scope.Checks.Select(c => c.Id).ToListAsync(cancellationToken);
        var posted = Choices.Where(c => c.Shown).ToList();
        if (posted.Any(c => !ownedIds.Contains(c.CheckId)))
        {
            // A forged id of someone else's check: not found, like any other id that is not yours.
            return NotFound();
        }

        await PageValidation.ValidateAsync(Input, ModelState, scope.Db, id, cancellationToken);
        if (!ModelState.IsValid)
        {
            await FillChoicesAsync(StatusPage, Choices, cancellationToken);
            return Page();
        }

        var oldSlug = StatusPage.Slug;
        StatusPage.Name = Input.Name;
        StatusPage.Slug = Input.Slug!;
        StatusPage.Description = Input.Description;

        // Positions as the owner typed them; ties keep the order shown on the form.
        var ordered = posted.Select((c, index) => (c.CheckId, c.Position, index))
            .OrderBy(c => c.Position).ThenBy(c => c.index).ToList();
        StatusPage.Checks.Clear();
        for (var i = 0; i < ordered.Count; i++)
        {
            StatusPage.Checks.Add(new StatusPageCheck { StatusPageId = StatusPage.Id, CheckId = ordered[i].CheckId, SortOrder = i + 1 });
        }

        try
        {
            await scope.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (PageValidation.IsUniqueViolation(ex))
        {
            ModelState.AddModelError("Input.Slug", $"The address /status/{Input.Slug} is taken. Choose another slug.");
            await FillChoicesAsync(StatusPage, Choices, cancellationToken);
            return Page();
        }

        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        TempData["Flash"] = oldSlug == StatusPage.Slug
            ? "Status page saved."
            : $"Status page saved. Its public address is now /status/{StatusPage.Slug}.";
        return Redirect($"/StatusPages/{id}/Edit");
    }

    private Task<StatusPage?> LoadAsync(int id, CancellationToken cancellationToken) =>
        scope.Pages.Include(p => p.Checks).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    private async Task FillChoicesAsync(StatusPage page, List<CheckChoice>? posted, CancellationToken cancellationToken)
    {
        var checks = await scope.Checks.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var current = page.Checks.ToDictionary(pc => pc.CheckId, pc => pc.SortOrder);
        Choices = checks.Select(c =>
        {
            var fromPost = posted?.FirstOrDefault(p => p.CheckId == c.Id);
            var shown = fromPost?.Shown ?? current.ContainsKey(c.Id);
            var position = fromPost?.Position ?? (current.TryGetValue(c.Id, out var order) ? order : 0);
            return new CheckChoice { CheckId = c.Id, Shown = shown, Position = position, Name = c.Name, Target = c.Settings.Target, State = c.State };
        })
        .OrderByDescending(c => c.Shown).ThenBy(c => c.Shown ? c.Position : 0).ThenBy(c => c.Name, StringComparer.CurrentCulture)
        .ToList();
    }
}
