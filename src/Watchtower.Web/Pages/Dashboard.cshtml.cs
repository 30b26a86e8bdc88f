using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages;

public sealed class DashboardModel(TeamScope scope, PublicAddress publicAddress, IOptions<QuotaOptions> quotas, TimeProvider time) : PageModel
{
    public sealed record PageRow(int Id, string Name, string Slug, string PublicUrl, OverallStatus Overall, int CheckCount);

    /// <summary>What the team holds against what this instance allows it; open invitations count against members.</summary>
    public sealed record Usage(int Checks, int ChecksAllowed, int Pages, int PagesAllowed, int Members, int Invited, int MembersAllowed);

    public Usage Quotas { get; private set; } = new(0, 0, 0, 0, 0, 0, 0);

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

        var (teamId, now) = (scope.TeamId, Now);
        var members = await scope.Db.TeamMembers.CountAsync(m => m.TeamId == teamId, cancellationToken);
        var invited = await scope.Db.TeamInvitations.CountAsync(i => i.TeamId == teamId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, cancellationToken);
        var allowed = quotas.Value;
        Quotas = new Usage(Checks.Count, allowed.ChecksPerTeam, StatusPages.Count, allowed.PagesPerTeam, members, invited, allowed.MembersPerTeam);
    }

    private string PublicUrl(string slug) =>
        publicAddress.Absolute(Request, Url.Page("/Status/Page", new { slug }) ?? throw new InvalidOperationException("No route to the public page."));
}
