using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Probes.Egress;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Checks;

public sealed class CreateModel(AccountScope scope, TimeProvider time, IOptions<EngineOptions> engine, EgressGuard guard, CheckTester tester) : PageModel
{
    [BindProperty]
    public CheckInput Input { get; set; } = new();

    /// <summary>The result of "Test now", shown on the form; nothing is saved.</summary>
    public CheckTester.Outcome? TestOutcome { get; private set; }

    public bool TestRefused { get; private set; }

    public void OnGet(string? host, int? port, Watchtower.Probes.ProbeKind? kind)
    {
        Input.Kind = kind is { } k && CheckKinds.Offered.Contains(k) ? k : Watchtower.Probes.ProbeKind.Tcp;
        Input.Port = Input.Kind == Watchtower.Probes.ProbeKind.Ssl ? 443 : null;
        Input.Host = host ?? "";
        Input.Port = port ?? Input.Port;
        Input.Service = port is { } p ? Watchtower.Probes.Tcp.TcpServices.SuggestFor(p) : Watchtower.Probes.Tcp.TcpService.PortOpen;
        ViewData["MinimumIntervalSeconds"] = engine.Value.MinimumIntervalSeconds;
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken cancellationToken)
    {
        ViewData["MinimumIntervalSeconds"] = engine.Value.MinimumIntervalSeconds;
        Input.Validate(ModelState, engine.Value.MinimumIntervalSeconds, guard.WhyBlocked);
        if (ModelState.IsValid)
        {
            TestOutcome = await tester.TestAsync(scope.UserId, Input, cancellationToken);
            TestRefused = TestOutcome is null;
        }

        return Page();
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
