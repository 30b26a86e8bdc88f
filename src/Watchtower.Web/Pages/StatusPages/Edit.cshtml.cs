using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Infrastructure.Outage;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.StatusPages;

/// <summary>
/// A status page's fields and the checks it shows, in order. The order travels in hidden
/// position fields: without JavaScript the up/down buttons post the whole form to the Move
/// handler, which shows it again with the order changed and nothing saved (typed values and
/// ticks kept); with JavaScript, status-order.js moves rows in place (drag or the same buttons)
/// and renumbers the fields. Save stores what the form holds.
/// </summary>
/// <remarks>A form that changes the team's things: editors and owners only, to look at as well as to send.</remarks>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class EditModel(TeamScope scope, PublicAddress publicAddress, AuditLog audit, IOutputCacheStore cache, StatusPageSnapshots snapshots, Branding.CustomDomains domains) : PageModel
{
    [BindProperty]
    public PageInput Input { get; set; } = new();

    /// <summary>One row per check of the account: whether the page shows it, and where.</summary>
    [BindProperty]
    public List<CheckChoice> Choices { get; set; } = [];

    /// <summary>The page's groups as the form lists them (plus an empty row to add one); a row left without a name is removed.</summary>
    [BindProperty]
    public List<GroupRow> Groups { get; set; } = [];

    public StatusPage? StatusPage { get; private set; }

    public sealed class GroupRow
    {
        public string? Name { get; set; }

        /// <summary>Where the group stands among the groups, from 1.</summary>
        public int Position { get; set; }
    }

    public string PublicUrl { get; private set; } = "";

    /// <summary>After a move without JavaScript: the row moved, its direction, and what to tell the owner.</summary>
    public (int CheckId, string Direction, string Message)? Moved { get; private set; }

    public sealed class CheckChoice
    {
        public int CheckId { get; set; }
        public bool Shown { get; set; }

        /// <summary>Where the row stands on the form, from 1; shown rows come first.</summary>
        public int Position { get; set; }

        public string Name { get; set; } = "";
        public string Target { get; set; } = "";
        public CheckState State { get; set; }

        /// <summary>The row of <see cref="Groups"/> (from 1) the check is shown in; 0: no group.</summary>
        public int Group { get; set; }
    }

    /// <summary>The named group rows, with their form row number (from 1), for the checks' group choice.</summary>
    public IEnumerable<(int Row, string Name)> NamedGroups => Groups.Select((g, i) => (i + 1, g.Name?.Trim() ?? "")).Where(g => g.Item2.Length > 0);

    public IEnumerable<(int Index, CheckChoice Choice)> ShownChoices => Choices.Select((c, i) => (i, c)).Where(x => x.c.Shown);

    public IEnumerable<(int Index, CheckChoice Choice)> OtherChoices => Choices.Select((c, i) => (i, c)).Where(x => !x.c.Shown);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        StatusPage = await LoadAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        Input = new PageInput { Name = StatusPage.Name, Slug = StatusPage.Slug, Description = StatusPage.Description };
        Groups = [.. StatusPage.Groups.OrderBy(g => g.SortOrder).ThenBy(g => g.Id).Select((g, i) => new GroupRow { Name = g.Name, Position = i + 1 })];
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

        if (RepeatedCheck() is { } refused)
        {
            return refused;
        }

        if (await HasForeignCheckAsync(cancellationToken))
        {
            // A forged id of someone else's check: not found, like any other id that is not yours.
            return NotFound();
        }

        await PageValidation.ValidateAsync(Input, ModelState, scope.Db, id, cancellationToken);
        ValidateGroups();
        if (!ModelState.IsValid)
        {
            await FillChoicesAsync(StatusPage, Choices, cancellationToken);
            return Page();
        }

        var oldSlug = StatusPage.Slug;
        StatusPage.Name = Input.Name;
        StatusPage.Slug = Input.Slug!;
        StatusPage.Description = Input.Description;

        // The form's order; rows posted with the same position keep the order they came in.
        var ordered = Choices.Where(c => c.Shown).Select((c, index) => (c.CheckId, c.Position, index))
            .OrderBy(c => c.Position).ThenBy(c => c.index).Select(c => c.CheckId).ToList();
        // The groups as the form names them, in their order; each check's choice names a form row.
        var byRow = new Dictionary<int, StatusPageGroup>();
        scope.Db.StatusPageGroups.RemoveRange(StatusPage.Groups);
        StatusPage.Groups.Clear();
        foreach (var (row, name) in NamedGroups.OrderBy(g => Groups[g.Row - 1].Position).ThenBy(g => g.Row).ToList())
        {
            var group = new StatusPageGroup { Name = name, SortOrder = byRow.Count + 1 };
            StatusPage.Groups.Add(group);
            byRow[row] = group;
        }

        var groupOf = Choices.Where(c => c.Shown).GroupBy(c => c.CheckId).ToDictionary(g => g.Key, g => byRow.GetValueOrDefault(g.First().Group));
        StatusPage.Checks.Clear();
        for (var i = 0; i < ordered.Count; i++)
        {
            StatusPage.Checks.Add(new StatusPageCheck { StatusPageId = StatusPage.Id, CheckId = ordered[i], SortOrder = i + 1, Group = groupOf.GetValueOrDefault(ordered[i]) });
        }

        audit.Record("page.updated", AuditLog.Describe("status page", StatusPage.Name, StatusPage.Id), $"/status/{StatusPage.Slug}, {ordered.Count} checks");
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
        if (oldSlug != StatusPage.Slug)
        {
            domains.Invalidate(); // a custom domain names the page by its slug
        }

        // What the owner just took off the page must not come back from an outage's saved reading.
        snapshots.Forget(oldSlug);
        snapshots.Forget(StatusPage.Slug);
        TempData["Flash"] = oldSlug == StatusPage.Slug
            ? "Status page saved."
            : $"Status page saved. Its public address is now /status/{StatusPage.Slug}.";
        return RedirectToPage(new { id });
    }

    /// <summary>An up/down button without JavaScript: the same form again, one row moved, nothing saved.</summary>
    public async Task<IActionResult> OnPostMoveAsync(int id, string? move, CancellationToken cancellationToken)
    {
        StatusPage = await LoadAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        if (RepeatedCheck() is { } refused)
        {
            return refused;
        }

        if (await HasForeignCheckAsync(cancellationToken))
        {
            return NotFound();
        }

        // Not a save: no field messages yet. The fields show what was posted (the bound Input).
        ModelState.Clear();
        await FillChoicesAsync(StatusPage, Choices, cancellationToken);

        var parts = (move ?? "").Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var checkId) && parts[1] is "up" or "down")
        {
            var shown = Choices.Where(c => c.Shown).ToList();
            var from = shown.FindIndex(c => c.CheckId == checkId);
            var to = parts[1] == "up" ? from - 1 : from + 1;
            if (from >= 0 && to >= 0 && to < shown.Count)
            {
                (shown[from], shown[to]) = (shown[to], shown[from]);
                Choices = [.. shown, .. Choices.Where(c => !c.Shown)];
                Renumber(Choices);
                Moved = (checkId, parts[1], $"“{shown[to].Name}” moved to position {to + 1} of {shown.Count}. Save to keep this order.");
            }
        }

        return Page();
    }

    private async Task<StatusPage?> LoadAsync(int id, CancellationToken cancellationToken)
    {
        var page = await scope.Pages.Include(p => p.Checks).Include(p => p.Groups).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (page is not null)
        {
            PublicUrl = publicAddress.Absolute(Request, Url.Page("/Status/Page", new { slug = page.Slug })
                ?? throw new InvalidOperationException("No route to the public page."));
        }

        return page;
    }

    /// <summary>
    /// The form has one row per check; a check in two rows is a forged or broken form, and which row
    /// to believe (shown or not, which position) cannot be told, so it is refused rather than guessed.
    /// </summary>
    private IActionResult? RepeatedCheck()
    {
        var twice = Choices.GroupBy(c => c.CheckId).FirstOrDefault(g => g.Skip(1).Any());
        return twice is null
            ? null
            : RequestProblem.Result(HttpContext, string.Create(CultureInfo.InvariantCulture,
                $"This form lists check #{twice.Key} more than once; a page shows each check once. Reload the editor and save again."));
    }

    private async Task<bool> HasForeignCheckAsync(CancellationToken cancellationToken)
    {
        var ownedIds = await scope.Checks.Select(c => c.Id).ToListAsync(cancellationToken);
        return Choices.Any(c => c.Shown && !ownedIds.Contains(c.CheckId));
    }

    /// <summary>
    /// All the account's checks: shown ones first in their order (posted positions, else the
    /// stored order), then the others by name. A row ticked on the form but not yet saved sorts by
    /// its position, which put it after every shown row: ticking adds a check at the end.
    /// </summary>
    private async Task FillChoicesAsync(StatusPage page, List<CheckChoice>? posted, CancellationToken cancellationToken)
    {
        var checks = await scope.Checks.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var current = page.Checks.ToDictionary(pc => pc.CheckId, pc => pc.SortOrder);
        var groupRows = page.Groups.OrderBy(g => g.SortOrder).ThenBy(g => g.Id).Select((g, i) => (g.Id, Row: i + 1)).ToDictionary(x => x.Id, x => x.Row);
        var storedGroup = page.Checks.ToDictionary(pc => pc.CheckId, pc => pc.GroupId is { } g ? groupRows.GetValueOrDefault(g) : 0);
        // The first posted row of each id, with where it came on the form (ties of position keep that order).
        var fromPost = (posted ?? []).Select((choice, index) => (choice, index))
            .GroupBy(x => x.choice.CheckId).ToDictionary(g => g.Key, g => g.First());
        Choices = checks.Select(c =>
            {
                var isPosted = fromPost.TryGetValue(c.Id, out var post);
                var shown = isPosted ? post.choice.Shown : posted is null && current.ContainsKey(c.Id);
                var position = isPosted ? post.choice.Position : current.GetValueOrDefault(c.Id, int.MaxValue);
                var group = isPosted ? post.choice.Group : posted is null ? storedGroup.GetValueOrDefault(c.Id) : 0;
                var choice = new CheckChoice { CheckId = c.Id, Shown = shown, Position = position, Name = c.Name, Target = c.Settings.Target, State = c.State, Group = group };
                return (choice, index: isPosted ? post.index : int.MaxValue);
            })
            .OrderByDescending(x => x.choice.Shown)
            .ThenBy(x => x.choice.Shown ? x.choice.Position : 0)
            .ThenBy(x => x.choice.Shown ? x.index : 0)
            .ThenBy(x => x.choice.Name, StringComparer.CurrentCulture)
            .Select(x => x.choice)
            .ToList();
        Renumber(Choices);
    }

    /// <summary>Group names: short, and no two alike (readers could not tell them apart). Always one empty row to add a group.</summary>
    private void ValidateGroups()
    {
        var seen = new HashSet<string>(StringComparer.CurrentCultureIgnoreCase);
        for (var i = 0; i < Groups.Count; i++)
        {
            var name = Groups[i].Name?.Trim() ?? "";
            if (name.Length > StatusPageGroup.NameMaxLength)
            {
                ModelState.AddModelError($"Groups[{i}].Name", $"Use at most {StatusPageGroup.NameMaxLength} characters.");
            }
            else if (name.Length > 0 && !seen.Add(name))
            {
                ModelState.AddModelError($"Groups[{i}].Name", $"Another group is already named “{name}”. Give each group its own name.");
            }
        }

        if (Groups.Count > 50)
        {
            ModelState.AddModelError(string.Empty, "A page can have at most 50 groups.");
        }
    }

    private static void Renumber(List<CheckChoice> choices)
    {
        for (var i = 0; i < choices.Count; i++)
        {
            choices[i].Position = i + 1;
        }
    }
}
