using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Probes.Egress;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Checks;

public sealed class CreateModel(AccountScope scope, TimeProvider time, IOptions<EngineOptions> engine, EgressGuard guard) : PageModel
{
    [BindProperty]
    public CheckInput Input { get; set; } = new();

    public void OnGet(string? host, int? port)
    {
        Input.Host = host ?? "";
        Input.Port = port;
        ViewData["MinimumIntervalSeconds"] = engine.Value.MinimumIntervalSeconds;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ViewData["MinimumIntervalSeconds"] = engine.Value.MinimumIntervalSeconds;
        Input.Validate(ModelState, engine.Value.MinimumIntervalSeconds, guard.WhyBlocked);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var now = time.GetUtcNow();
        var check = new Check { OwnerId = scope.UserId, Name = Input.Name, Host = Input.Host, CreatedAt = now, NextRunAt = now };
        Input.ApplyTo(check);
        scope.Db.Checks.Add(check);
        await scope.Db.SaveChangesAsync(cancellationToken);
        TempData["Flash"] = $"Check “{check.Name}” saved. Its first result comes within seconds.";
        return Redirect($"/Checks/{check.Id}");
    }
}
