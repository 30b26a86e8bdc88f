using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Probes.Egress;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Checks;

public sealed class EditModel(AccountScope scope, TimeProvider time, IOptions<EngineOptions> engine, EgressGuard guard, IOutputCacheStore cache, CheckTester tester) : PageModel
{
    [BindProperty]
    public CheckInput Input { get; set; } = new();

    /// <summary>The result of "Test now", shown on the form; nothing is saved.</summary>
    public CheckTester.Outcome? TestOutcome { get; private set; }

    public bool TestRefused { get; private set; }

    public Check? Check { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Check = await scope.FindCheckAsync(id, cancellationToken);
        if (Check is null)
        {
            return NotFound();
        }

        ViewData["MinimumIntervalSeconds"] = engine.Value.MinimumIntervalSeconds;
        Input = CheckInput.From(Check);
        return Page();
    }

    /// <summary>Loads the account's check (false when it is not theirs) and validates the posted form against its kind.</summary>
    private async Task<bool> LoadAndValidateAsync(int id, CancellationToken cancellationToken)
    {
        Check = await scope.FindCheckAsync(id, cancellationToken);
        if (Check is null)
        {
            return false;
        }

        ViewData["MinimumIntervalSeconds"] = engine.Value.MinimumIntervalSeconds;
        Input.Kind = Check.Kind; // the kind is fixed once saved
        Input.Validate(ModelState, engine.Value.MinimumIntervalSeconds, guard.WhyBlocked);
        return true;
    }

    private static string? SettingsOf(CheckInput input)
    {
        var draft = new Check { OwnerId = "", Name = "", Host = "" };
        input.ApplyTo(draft);
        return draft.SettingsJson;
    }

    public async Task<IActionResult> OnPostTestAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAndValidateAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (ModelState.IsValid)
        {
            TestOutcome = await tester.TestAsync(scope.UserId, Input, cancellationToken);
            TestRefused = TestOutcome is null;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAndValidateAsync(id, cancellationToken) || Check is null)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var targetChanged = Check.Host != Input.Host || Check.Port != Input.Port || Check.Service != Input.Service || Check.SettingsJson != SettingsOf(Input);
        Input.ApplyTo(Check);
        if (Check.Enabled)
        {
            // Run the edited check soon rather than after the old interval.
            Check.NextRunAt = time.GetUtcNow();
        }

        if (targetChanged && Check.Enabled)
        {
            // A new target starts from a clean slate: old results said nothing about it.
            Check.State = CheckState.Pending;
            Check.ConsecutiveFailures = 0;
            Check.ConsecutiveSuccesses = 0;
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        TempData["Flash"] = "Check saved.";
        return Redirect($"/Checks/{id}");
    }
}
