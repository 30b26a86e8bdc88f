using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Alerts;
using Watchtower.Web.Checks;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Alerts;

[TeamAccess(Read = TeamRole.Editor)]
public sealed class EditModel(ChannelService channels) : PageModel
{
    [BindProperty]
    public ChannelInput Input { get; set; } = new();

    public NotificationChannel? Channel { get; private set; }

    /// <summary>A new signing secret, shown on this answer only.</summary>
    public string? Secret { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Channel = await channels.FindAsync(id, cancellationToken);
        if (Channel is null)
        {
            return NotFound();
        }

        Input = ChannelInput.From(Channel);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        var outcome = await channels.UpdateAsync(id, Input, cancellationToken);
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Done)
        {
            ModelState.AddFieldErrors(nameof(Input), outcome.Errors);
            Channel = await channels.FindAsync(id, cancellationToken);
            return Page();
        }

        if (outcome.SecretToShow is null)
        {
            TempData["Flash"] = "Channel saved.";
            return RedirectToPage("/Alerts/Details", new { id });
        }

        Channel = outcome.Channel;
        Secret = outcome.SecretToShow;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
