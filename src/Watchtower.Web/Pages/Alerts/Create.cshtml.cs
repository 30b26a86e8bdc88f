using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Alerts;
using Watchtower.Web.Checks;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Alerts;

/// <summary>A new channel. A webhook's signing secret is shown once, on the page that answers the save, and never again.</summary>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class CreateModel(ChannelService channels) : PageModel
{
    [BindProperty]
    public ChannelInput Input { get; set; } = new();

    /// <summary>Set once the channel is saved and a secret was made: the only time it is shown.</summary>
    public string? Secret { get; private set; }

    public NotificationChannel? Created { get; private set; }

    public void OnGet(ChannelKind kind = ChannelKind.Email)
    {
        Input = new ChannelInput { Kind = Enum.IsDefined(kind) ? kind : ChannelKind.Email };
        ModelState.Clear();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await channels.CreateAsync(Input, cancellationToken);
        if (!outcome.Done)
        {
            ModelState.AddFieldErrors(nameof(Input), outcome.Errors);
            if (!Enum.IsDefined(Input.Kind))
            {
                Input.Kind = ChannelKind.Email;
            }

            return Page();
        }

        if (outcome.SecretToShow is null)
        {
            TempData["Flash"] = "Channel saved. Send a test to see it work.";
            return RedirectToPage("/Alerts/Details", new { id = outcome.Channel!.Id });
        }

        Created = outcome.Channel;
        Secret = outcome.SecretToShow;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
