using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.StatusPages;

/// <summary>
/// A page's subscribers: every member sees the list (state, services, since when) and may export it
/// as CSV; editors remove a subscriber. Another team's page, or a subscriber of another page, is not found.
/// </summary>
public sealed class SubscribersModel(TeamScope scope, AuditLog audit) : PageModel
{
    public const int ShownAtMost = 500;

    public sealed record Row(int Id, SubscriberKind Kind, string Address, SubscriberState State, DateTimeOffset CreatedAt, DateTimeOffset? ConfirmedAt, string Services);

    public StatusPage? StatusPage { get; private set; }
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int Confirmed { get; private set; }
    public int Pending { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, ShownAtMost, cancellationToken))
        {
            return NotFound();
        }

        return Page();
    }

    /// <summary>All of the page's subscribers as CSV (address, kind, state, services, subscribed, confirmed).</summary>
    public async Task<IActionResult> OnGetExportAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, int.MaxValue, cancellationToken))
        {
            return NotFound();
        }

        var csv = new StringBuilder("address,kind,state,services,subscribed_at,confirmed_at\r\n");
        foreach (var row in Rows)
        {
            csv.Append(Cell(row.Address)).Append(',').Append(row.Kind.ToString().ToLowerInvariant()).Append(',')
                .Append(row.State.ToString().ToLowerInvariant()).Append(',').Append(Cell(row.Services)).Append(',')
                .Append(StateText.Utc(row.CreatedAt)).Append(',').Append(row.ConfirmedAt is { } c ? StateText.Utc(c) : "").Append("\r\n");
        }

        audit.Record("subscribers.exported", AuditLog.Describe("status page", StatusPage!.Name, StatusPage.Id), string.Create(CultureInfo.InvariantCulture, $"{Rows.Count} rows"));
        await scope.Db.SaveChangesAsync(cancellationToken);
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"subscribers-{StatusPage.Slug}.csv");
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, int subscriberId, CancellationToken cancellationToken)
    {
        StatusPage = await scope.FindPageAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return NotFound();
        }

        var team = scope.TeamId;
        var subscriber = await scope.Db.Subscribers.FirstOrDefaultAsync(s => s.Id == subscriberId && s.StatusPageId == id && s.TeamId == team, cancellationToken);
        if (subscriber is null)
        {
            return NotFound();
        }

        scope.Db.Subscribers.Remove(subscriber);
        audit.Record("subscriber.removed", AuditLog.Describe("status page", StatusPage.Name, StatusPage.Id), subscriber.Email ?? subscriber.Url);
        await scope.Db.SaveChangesAsync(cancellationToken);
        TempData["Flash"] = $"Removed {subscriber.Email ?? subscriber.Url}.";
        return RedirectToPage(new { id });
    }

    /// <summary>A CSV cell: quoted when needed, and a leading =, +, - or @ defused (no formula runs when opened in a spreadsheet).</summary>
    public static string Cell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private async Task<bool> LoadAsync(int id, int take, CancellationToken cancellationToken)
    {
        StatusPage = await scope.FindPageAsync(id, cancellationToken);
        if (StatusPage is null)
        {
            return false;
        }

        var team = scope.TeamId;
        var mine = scope.Db.Subscribers.AsNoTracking().Where(s => s.StatusPageId == id && s.TeamId == team);
        Confirmed = await mine.CountAsync(s => s.State == SubscriberState.Confirmed, cancellationToken);
        Pending = await mine.CountAsync(s => s.State == SubscriberState.Pending, cancellationToken);
        var names = await scope.Db.StatusPageChecks.AsNoTracking().Where(pc => pc.StatusPageId == id)
            .Select(pc => new { pc.CheckId, pc.Check!.Name }).ToDictionaryAsync(pc => pc.CheckId, pc => pc.Name, cancellationToken);
        var rows = await mine.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(take)
            .Select(s => new { s.Id, s.Kind, s.Email, s.Url, s.State, s.CreatedAt, s.ConfirmedAt, s.AllComponents, Checks = s.Components.Select(c => c.CheckId).ToList() })
            .ToListAsync(cancellationToken);
        Rows = rows.ConvertAll(s => new Row(s.Id, s.Kind, s.Email ?? s.Url ?? "", s.State, s.CreatedAt, s.ConfirmedAt,
            s.AllComponents ? "All services" : string.Join("; ", s.Checks.Select(c => names.GetValueOrDefault(c, "(removed)")))));
        return true;
    }
}
