using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Probes;
using Watchtower.Web.Checks;

using Watchtower.Data.Entities;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Checks;

/// <remarks>A form that changes the team's things: editors and owners only, to look at as well as to send.</remarks>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class CreateModel(CheckService checks) : PageModel
{
    [BindProperty]
    public CheckForm Input { get; set; } = new();

    /// <summary>The result of "Test now", shown on the form; nothing is saved.</summary>
    public TestOutcome? Test { get; private set; }

    public async Task OnGetAsync(ProbeKind? kind, string? host, int? port, int? page, CancellationToken cancellationToken)
    {
        var chosen = kind is { } k && CheckKinds.IsOffered(k) ? k : ProbeKind.Tcp;
        Input.Settings = CheckKinds.Of(chosen).Seeded(new KindSeed(host?.Trim(), port is > 0 and <= 65535 ? port : null, null));
        if (page is { } pageId)
        {
            Input.PageIds = [pageId];
        }

        Input.ChannelIds = await checks.DefaultChannelIdsAsync(cancellationToken);

        await PrepareAsync(cancellationToken);
    }

    /// <summary>Switches the kind of the check being made, keeping the name, the target typed so far and the shared fields.</summary>
    public async Task<IActionResult> OnPostKindAsync(ProbeKind switchTo, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (CheckKinds.IsOffered(switchTo) && CheckKinds.IsOffered(Input.Kind) && switchTo != Input.Kind)
        {
            var seed = Input.KindOf.Seed(Input.Settings);
            Input.Settings = CheckKinds.Of(switchTo).Seeded(seed);
        }

        await PrepareAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken cancellationToken)
    {
        if (ModelState.BoundCleanly(checks, Input))
        {
            Test = await checks.TestAsync(Input, cancellationToken);
            ModelState.AddFieldErrors(nameof(Input), Test.Errors);
        }

        await PrepareAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = ModelState.BoundCleanly(checks, Input) ? await checks.CreateAsync(Input, cancellationToken) : null;
        if (outcome is { Status: CheckOutcomeStatus.Done, Check: { } check })
        {
            TempData["Flash"] = $"Check “{check.Name}” saved. Its first result comes within seconds.";
            return RedirectToPage("/Checks/Details", new { id = check.Id });
        }

        if (outcome is not null)
        {
            ModelState.AddFieldErrors(nameof(Input), outcome.Errors);
        }

        await PrepareAsync(cancellationToken);
        return Page();
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!CheckKinds.IsOffered(Input.Kind))
        {
            Input.Settings = CheckKinds.Of(ProbeKind.Tcp).Defaults;
        }

        ViewData["MinimumIntervalSeconds"] = checks.MinimumIntervalSeconds;
        ViewData["Pages"] = await checks.PagesAsync(cancellationToken);
        ViewData["Channels"] = await checks.ChannelsAsync(cancellationToken);
    }
}
