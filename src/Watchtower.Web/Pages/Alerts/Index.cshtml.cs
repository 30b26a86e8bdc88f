using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Alerts;

namespace Watchtower.Web.Pages.Alerts;

/// <summary>The team's alert channels (every member sees them; editors change them) and the latest deliveries.</summary>
public sealed class IndexModel(ChannelService channels) : PageModel
{
    public sealed record Row(NotificationChannel Channel, int Checks);

    public IReadOnlyList<Row> Channels { get; private set; } = [];

    public IReadOnlyList<ChannelService.LogRow> Log { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = await channels.Channels.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new { Channel = c, Checks = c.Checks.Count }).ToListAsync(cancellationToken);
        Channels = rows.ConvertAll(r => new Row(r.Channel, r.Checks));
        Log = await channels.LogAsync(null, null, 20, cancellationToken);
    }
}
