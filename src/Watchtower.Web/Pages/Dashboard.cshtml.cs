using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Probes;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages;

/// <summary>
/// The team's status pages, and its checks a page of <see cref="PageSize"/> at a time: filtered by
/// state (the counts on top are links), kind and a text in the name or target, with plain links and
/// a GET form, so it works without JavaScript. A team of thousands of checks gets a page of the same
/// size as a team of fifty; the counts come from one grouped query.
/// </summary>
public sealed class DashboardModel(TeamScope scope, PublicAddress publicAddress, IOptions<QuotaOptions> quotas, ProbeLocations locations, TimeProvider time) : PageModel
{
    public const int PageSize = 50;
    public const int SearchMaxLength = 100;

    /// <summary>The state filters, in the order of the counts on top; null is "all".</summary>
    public static readonly IReadOnlyList<CheckState> StateFilters = [CheckState.Down, CheckState.Degraded, CheckState.Up, CheckState.Paused, CheckState.Pending];

    public sealed record PageRow(int Id, string Name, string Slug, string PublicUrl, OverallStatus Overall, int CheckCount, int Subscribers = 0);

    /// <summary>What the team holds against what this instance allows it; open invitations count against members.</summary>
    public sealed record Usage(int Checks, int ChecksAllowed, int Pages, int PagesAllowed, int Members, int Invited, int MembersAllowed);

    public Usage Quotas { get; private set; } = new(0, 0, 0, 0, 0, 0, 0);

    public IReadOnlyList<PageRow> StatusPages { get; private set; } = [];

    /// <summary>The checks on this page of the list.</summary>
    public IReadOnlyList<Check> Checks { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>The team's alert channels that keep refusing deliveries (marked failing): the dashboard says so.</summary>
    public IReadOnlyList<NotificationChannel> FailingChannels { get; private set; } = [];

    /// <summary>
    /// The probe locations the team's running checks need that no live worker serves (no Hangfire
    /// server with a recent heartbeat on that queue): their checks are not being run, and the owner is told.
    /// </summary>
    public IReadOnlyList<string> LocationsWithoutWorker { get; private set; } = [];

    /// <summary>Checks in each state among those the kind and text filters let through (every state present, 0 when none).</summary>
    public IReadOnlyDictionary<CheckState, int> StateCounts { get; private set; } = new Dictionary<CheckState, int>();

    /// <summary>All the checks the kind and text filters let through, whatever their state.</summary>
    public int MatchingAnyState => StateCounts.Values.Sum();

    /// <summary>The checks the filters let through: what the pages of the list page through.</summary>
    public int Matching { get; private set; }

    /// <summary>The team's checks, filters or not.</summary>
    public int TeamChecks { get; private set; }

    // The filters, from the query string: ?state=down&kind=tcp&q=mail&p=2. Values that mean nothing
    // (a state that does not exist, page 0) show the unfiltered list rather than an error.
    [BindProperty(SupportsGet = true, Name = "state")]
    public string? StateParameter { get; set; }

    [BindProperty(SupportsGet = true, Name = "kind")]
    public string? KindParameter { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public string? PageParameter { get; set; }

    public CheckState? State { get; private set; }

    public ProbeKind? Kind { get; private set; }

    /// <summary>The page of the list shown, from 1.</summary>
    public int PageNumber { get; private set; } = 1;

    public int PageCount => Math.Max(1, (Matching + PageSize - 1) / PageSize);

    public bool Filtered => State is not null || Kind is not null || Search is not null;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        var failingTeam = scope.TeamId;
        FailingChannels = await scope.Db.NotificationChannels.AsNoTracking().Where(c => c.TeamId == failingTeam && c.FailingSince != null).OrderBy(c => c.Name).ToListAsync(cancellationToken);
        ReadFilters();

        // One grouped pass over the team's checks: how many there are (the quota), the probe locations its
        // running checks need, and — unless the kind or text filter narrows them — the counts on top.
        var groups = await scope.Checks
            .GroupBy(c => new { c.State, c.Enabled, c.Location })
            .Select(g => new { g.Key.State, g.Key.Enabled, g.Key.Location, Count = g.Count() })
            .ToListAsync(cancellationToken);
        TeamChecks = groups.Sum(g => g.Count);
        var needed = groups.Where(g => g.Enabled).Select(g => g.Location).Distinct(StringComparer.Ordinal).ToList();
        var matching = ApplyKindAndSearch(scope.Checks);
        var counts = Kind is null && Search is null
            ? groups.Select(g => (g.State, g.Count)).ToList()
            : (await matching.GroupBy(c => c.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
                .ConvertAll(g => (g.State, g.Count));
        StateCounts = StateFilters.ToDictionary(s => s, s => counts.Where(c => c.State == s).Sum(c => c.Count));
        Matching = State is { } state ? StateCounts[state] : MatchingAnyState;

        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        var listed = State is { } only ? matching.Where(c => c.State == only) : matching;
        // The page's ids first (a narrow sort of name and id), then those rows whole: sorting thousands of
        // full rows (their kinds' JSON settings) only to keep fifty was most of a far page's time.
        var ids = await listed
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);
        Checks = await scope.Checks.AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);

        // Each page's overall state from counts in the database: a page that shows 5,000 checks is one row here.
        var pages = await scope.Pages.AsNoTracking()
            .OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new
            {
                p.Id, p.Name, p.Slug,
                Listed = p.Checks.Count,
                Up = p.Checks.Count(pc => pc.Check!.State == CheckState.Up),
                Degraded = p.Checks.Count(pc => pc.Check!.State == CheckState.Degraded),
                Down = p.Checks.Count(pc => pc.Check!.State == CheckState.Down),
                Subscribers = scope.Db.Subscribers.Count(s => s.StatusPageId == p.Id && s.State == SubscriberState.Confirmed),
            })
            .ToListAsync(cancellationToken);
        StatusPages = pages.ConvertAll(p => new PageRow(p.Id, p.Name, p.Slug, PublicUrl(p.Slug), OverallStatus.FromCounts(p.Up, p.Degraded, p.Down, p.Listed), p.Listed, p.Subscribers));

        // The locations the team's running checks need, against those a worker beats for.
        if (needed.Count > 0)
        {
            var live = locations.Live();
            // As the dispatcher matches them: a check's location is claimed only for a queue of exactly that name.
            LocationsWithoutWorker = [.. needed.Where(l => !live.Contains(l)).Order(StringComparer.Ordinal)];
        }

        var (teamId, now) = (scope.TeamId, Now);
        var members = await scope.Db.TeamMembers.CountAsync(m => m.TeamId == teamId, cancellationToken);
        var invited = await scope.Db.TeamInvitations.CountAsync(i => i.TeamId == teamId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, cancellationToken);
        var allowed = quotas.Value;
        Quotas = new Usage(TeamChecks, allowed.ChecksPerTeam, StatusPages.Count, allowed.PagesPerTeam, members, invited, allowed.MembersPerTeam);
    }

    /// <summary>The query of a link to this list with some filters changed; the others are kept, the page starts again at 1 unless given.</summary>
    public Dictionary<string, string> Link(CheckState? state = null, bool allStates = false, int? page = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if ((allStates ? null : state ?? State) is { } s)
        {
            values["state"] = Slug(s);
        }

        if (Kind is { } kind)
        {
            values["kind"] = Slug(kind);
        }

        if (Search is { } search)
        {
            values["q"] = search;
        }

        if (page is > 1)
        {
            values["p"] = page.Value.ToString(CultureInfo.InvariantCulture);
        }

        return values;
    }

    /// <summary>"?state=down" names states and kinds in lowercase.</summary>
    public static string Slug<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>The first and last check on this page of the list, counted from 1.</summary>
    public (int From, int To) Shown => Checks.Count == 0 ? (0, 0) : ((PageNumber - 1) * PageSize + 1, (PageNumber - 1) * PageSize + Checks.Count);

    private void ReadFilters()
    {
        State = StateFilters.Cast<CheckState?>().FirstOrDefault(s => string.Equals(Slug(s!.Value), StateParameter?.Trim(), StringComparison.OrdinalIgnoreCase));
        Kind = Enum.GetValues<ProbeKind>().Cast<ProbeKind?>().FirstOrDefault(k => string.Equals(Slug(k!.Value), KindParameter?.Trim(), StringComparison.OrdinalIgnoreCase));
        var search = Search?.Trim();
        Search = string.IsNullOrEmpty(search) ? null : search.Length > SearchMaxLength ? search[..SearchMaxLength] : search;
        PageNumber = int.TryParse(PageParameter, NumberStyles.None, CultureInfo.InvariantCulture, out var page) ? page : 1;
    }

#pragma warning disable CA1304, CA1311, CA1862 // Translated to SQL lower(): the same on PostgreSQL and SQLite, no culture in play.
    private IQueryable<Check> ApplyKindAndSearch(IQueryable<Check> checks)
    {
        if (Kind is { } kind)
        {
            checks = checks.Where(c => c.Kind == kind);
        }

        if (Search is { } search)
        {
            // Name, or the target's host, URL or DNS name (inside the kind's JSON column; NULL for the other kinds).
            var text = search.ToLowerInvariant();
            checks = checks.Where(c => c.Name.ToLower().Contains(text)
                || c.Tcp!.Host.ToLower().Contains(text)
                || c.Http!.Url.ToLower().Contains(text)
                || c.Dns!.Name.ToLower().Contains(text)
                || c.Ssl!.Host.ToLower().Contains(text)
                || c.Seo!.Url.ToLower().Contains(text));
        }

        return checks;
    }
#pragma warning restore CA1304, CA1311, CA1862

    private string PublicUrl(string slug) =>
        publicAddress.Absolute(Request, Url.Page("/Status/Page", new { slug }) ?? throw new InvalidOperationException("No route to the public page."));
}
