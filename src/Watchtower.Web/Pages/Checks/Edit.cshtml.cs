using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Probes.Egress;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Checks;

public sealed class EditModel(AccountScope scope, TimeProvider time, IOptions<EngineOptions> engine, EgressGuard guard, IOutputCacheStore cache) : PageModel
{
    [BindProperty]
    public CheckInput Input { get; set; } = new();

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

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        Check = await scope.FindCheckAsync(id, cancellationToken);
        if (Check is null)
        {
            return NotFound();
        }

        ViewData["MinimumIntervalSeconds"] = engine.Value.MinimumIntervalSeconds;
        Input.Validate(ModelState, engine.Value.MinimumIntervalSeconds, guard.WhyBlocked);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var targetChanged = Check.Host != Input.Host || Check.Port != Input.Port;
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
