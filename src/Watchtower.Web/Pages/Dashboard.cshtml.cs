using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages;

public sealed class DashboardModel(TeamScope scope, PublicAddress publicAddress, TimeProvider time) : PageModel
{
    public sealed record PageRow(int Id, string Name, string Slug, string PublicUrl, OverallStatus Overall, int CheckCount);

    public IReadOnlyList<PageRow> StatusPages { get; private set; } = [];
    public IReadOnlyList<Check> Checks { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Checks = await scope.Checks.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var pages = await scope.Pages.AsNoTracking()
            .OrderBy(p => p.Name)
            .Select(p => new { p.Id, p.Name, p.Slug, States = p.Checks.Select(pc => pc.Check!.State).ToList() })
            .ToListAsync(cancellationToken);
        StatusPages = pages.ConvertAll(p => new PageRow(p.Id, p.Name, p.Slug, PublicUrl(p.Slug), OverallStatus.From(p.States), p.States.Count));
    }

    private string PublicUrl(string slug) =>
        publicAddress.Absolute(Request, Url.Page("/Status/Page", new { slug }) ?? throw new InvalidOperationException("No route to the public page."));
}
