using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Probes;
using Watchtower.Web.Checks;

namespace Watchtower.Web.Pages.Checks;

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
        if (!BoundCleanly())
        {
            await PrepareAsync(cancellationToken);
            return Page();
        }

        Test = await checks.TestAsync(Input, cancellationToken);
        ModelState.AddFieldErrors(nameof(Input), Test.Errors);
        await PrepareAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!BoundCleanly())
        {
            await PrepareAsync(cancellationToken);
            return Page();
        }

        var outcome = await checks.CreateAsync(Input, cancellationToken);
        if (outcome.Status == CheckOutcomeStatus.Done)
        {
            TempData["Flash"] = $"Check “{outcome.Check!.Name}” saved. Its first result comes within seconds.";
            return RedirectToPage("/Checks/Details", new { id = outcome.Check.Id });
        }

        ModelState.AddFieldErrors(nameof(Input), outcome.Errors);
        await PrepareAsync(cancellationToken);
        return Page();
    }

    /// <summary>
    /// False when a field could not even be read (junk in a checkbox, a header line without a colon):
    /// nothing is saved or run, and the validator's messages are shown beside the binding ones.
    /// </summary>
    private bool BoundCleanly()
    {
        if (ModelState.IsValid)
        {
            return true;
        }

        ModelState.AddFieldErrors(nameof(Input), checks.Validate(Input));
        return false;
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!CheckKinds.IsOffered(Input.Kind))
        {
            Input.Settings = CheckKinds.Of(ProbeKind.Tcp).Defaults;
        }

        ViewData["MinimumIntervalSeconds"] = checks.MinimumIntervalSeconds;
        ViewData["Pages"] = await checks.PagesAsync(cancellationToken);
    }
}
