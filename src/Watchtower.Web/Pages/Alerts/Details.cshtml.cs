using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Web.Alerts;

namespace Watchtower.Web.Pages.Alerts;

/// <summary>A channel: where it sends, whether it is failing, its delivery log; editors send a test or delete it.</summary>
public sealed class DetailsModel(ChannelService channels, Watchtower.Web.Infrastructure.TeamScope scope) : PageModel
{
    public NotificationChannel? Channel { get; private set; }

    public IReadOnlyList<ChannelService.LogRow> Log { get; private set; } = [];

    public IReadOnlyList<(int Id, string Name)> Checks { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostTestAsync(int id, CancellationToken cancellationToken)
    {
        var delivery = await channels.SendTestAsync(id, cancellationToken);
        if (delivery is null)
        {
            return NotFound();
        }

        TempData["Flash"] = delivery.Status switch
        {
            DeliveryStatus.Sent => $"Test sent ({delivery.ResultCode}).",
            DeliveryStatus.Pending => $"The test could not be delivered yet ({delivery.ResultCode}: {delivery.ResultMessage}); it is tried again.",
            _ => $"The test failed ({delivery.ResultCode}: {delivery.ResultMessage}).",
        };
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        if (!await channels.DeleteAsync(id, cancellationToken))
        {
            return NotFound();
        }

        TempData["Flash"] = "Channel deleted.";
        return RedirectToPage("/Alerts/Index");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        Channel = await channels.FindAsync(id, cancellationToken);
        if (Channel is null)
        {
            return false;
        }

        var checkIds = await scope.Db.CheckChannels.Where(cc => cc.ChannelId == id).Select(cc => cc.CheckId).ToListAsync(cancellationToken);
        Checks = (await scope.Checks.Where(c => checkIds.Contains(c.Id)).OrderBy(c => c.Name).Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken))
            .ConvertAll(c => (c.Id, c.Name));
        Log = await channels.LogAsync(id, null, 100, cancellationToken);
        return true;
    }
}
