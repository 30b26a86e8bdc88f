using Microsoft.Extensions.Caching.Memory;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.History;
using Watchtower.Web.Branding;
using Watchtower.Web.Incidents;

namespace Watchtower.Web.Infrastructure.Outage;

/// <summary>What a public status page showed, as read from the database at <see cref="TakenAt"/>.</summary>
public sealed record StatusPageSnapshot(string Slug, string Name, string? Description, IReadOnlyList<StatusPageSnapshot.Row> Rows, PageIncidents Incidents, DateTimeOffset TakenAt)
{
    /// <summary>The header: logo, link to the owner's site, accent colour.</summary>
    public PageBranding Branding { get; init; } = PageBranding.None;

    /// <summary>The owner's groups, in order; rows name theirs by <see cref="Row.GroupId"/>.</summary>
    public IReadOnlyList<Group> Groups { get; init; } = [];

    /// <summary>Who may read it: kept with the reading so that an outage opens no private page.</summary>
    public PageGate? Gate { get; init; }

    /// <summary>A service. <paramref name="Display"/> overrides the check's own state: under maintenance, or what an open incident says of it when worse.</summary>
    public sealed record Row(string Name, CheckState State, DateTimeOffset? LastCheckedAt, int? LatencyMs, string? Target, string? Reason, ComponentStatus? Display = null,
        HistorySummary? History = null, IReadOnlyList<DayIncident>? DayIncidents = null)
    {
        public int? GroupId { get; init; }

        /// <summary>What the reader is shown for it, as a component status; null while pending or paused.</summary>
        public ComponentStatus? Shown => Display ?? IncidentText.AsComponentStatus(State);
    }

    public sealed record Group(int Id, string Name);

    /// <summary>An incident shown on the days of a service's bar that it was open.</summary>
    public sealed record DayIncident(int Id, string Title, DateOnly From, DateOnly To);
}

/// <summary>A page's header look. <see cref="LogoHash"/> is in the logo's address, so the address changes with the image.</summary>
public sealed record PageBranding(string? LogoHash, string? LogoContentType, int? LogoWidth, int? LogoHeight, string? SiteUrl, string? AccentColor)
{
    public static PageBranding None { get; } = new(null, null, null, null, null, null);

    public string? LogoPath(string @base) => LogoHash is null ? null : $"{@base}/logo-{LogoHash}.{LogoImage.ExtensionOf(LogoContentType)}";

    public string? ThemePath(string @base) => AccentColor is null ? null : $"{@base}/theme-{AccentColor.TrimStart('#')}.css";
}

/// <summary>
/// The last good reading of each public status page, kept in this process so that the page can
/// still be shown — saying how old it is — while the database cannot be reached. The output cache
/// alone is not enough: its entries expire after seconds, and an outage lasts longer.
/// Bounded in count and forgotten after a day without a reader.
/// </summary>
public sealed class StatusPageSnapshots : IDisposable
{
    /// <summary>More pages than one Web host serves in practice; the least recently read go first beyond it.</summary>
    public const int MaxPages = 20_000;

    private readonly MemoryCache pages = new(new MemoryCacheOptions { SizeLimit = MaxPages });

    public void Keep(string slug, StatusPageSnapshot snapshot) =>
        pages.Set(slug, snapshot, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromDays(1) });

    public bool TryGet(string slug, out StatusPageSnapshot snapshot)
    {
        if (pages.TryGetValue(slug, out StatusPageSnapshot? found) && found is not null)
        {
            snapshot = found;
            return true;
        }

        snapshot = null!;
        return false;
    }

    /// <summary>A page deleted or moved to another address must not come back from here during an outage.</summary>
    public void Forget(string slug) => pages.Remove(slug);

    /// <summary>After a team or an account (and with it their pages) was deleted.</summary>
    public void ForgetAll() => pages.Clear();

    public void Dispose() => pages.Dispose();
}
