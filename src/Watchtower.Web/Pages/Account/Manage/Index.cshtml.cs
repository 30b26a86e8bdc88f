using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Pages.Account.Manage;

/// <summary>Account settings: links to each setting, "sign out everywhere else" and "download my data".</summary>
public sealed class IndexModel(
    SignInManager<WatchtowerUser> signIn, WatchtowerDbContext db, TimeProvider time, ILogger<IndexModel> logger) : PageModel
{
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Email { get; private set; } = "";

    public bool EmailConfirmed { get; private set; }

    public bool TwoFactorEnabled { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Email = user.Email ?? "";
        EmailConfirmed = user.EmailConfirmed;
        TwoFactorEnabled = user.TwoFactorEnabled;
        return Page();
    }

    /// <summary>New security stamp: every other cookie of this account stops working; this browser gets a fresh one.</summary>
    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await signIn.UserManager.UpdateSecurityStampAsync(user);
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("Account {UserId} signed out its other sessions", user.Id);
        TempData["Flash"] = "Every other session of your account has ended. You are still logged in here.";
        return RedirectToPage();
    }

    /// <summary>Profile, teams, and their status pages and checks with settings; never the password hash, stamps or 2FA secrets.</summary>
    public async Task<IActionResult> OnPostDownloadAsync(CancellationToken cancellationToken)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        // The person's teams, and the pages and checks of each: what they can see in the app.
        var teams = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == user.Id).OrderBy(m => m.TeamId)
            .Select(m => new { m.TeamId, m.Team!.Name, Role = m.Role.ToString(), m.JoinedAt }).ToListAsync(cancellationToken);
        var teamIds = teams.ConvertAll(t => t.TeamId);
        var pages = await db.StatusPages.AsNoTracking()
            .Where(p => teamIds.Contains(p.TeamId))
            .OrderBy(p => p.Id)
            .Select(p => new
            {
                p.Id,
                p.TeamId,
                p.Name,
                p.Slug,
                p.Description,
                p.CreatedAt,
                Checks = p.Checks.OrderBy(c => c.SortOrder).Select(c => new { c.CheckId, Position = c.SortOrder }).ToList(),
            })
            .ToListAsync(cancellationToken);
        var checks = await db.Checks.AsNoTracking().Where(c => teamIds.Contains(c.TeamId)).OrderBy(c => c.Id).ToListAsync(cancellationToken);

        var export = new
        {
            ExportedAt = time.GetUtcNow(),
            Account = new
            {
                user.Id,
                user.Email,
                user.EmailConfirmed,
                user.CreatedAt,
                user.TwoFactorEnabled,
                RecoveryCodesLeft = user.TwoFactorEnabled ? await signIn.UserManager.CountRecoveryCodesAsync(user) : 0,
            },
            Teams = teams,
            StatusPages = pages,
            Checks = checks.Select(c => new
            {
                c.Id,
                c.TeamId,
                c.Name,
                c.Kind,
                // The kind's own settings record, by its runtime type (all its fields).
                Settings = (object?)c.SettingsIfAny,
                c.IntervalSeconds,
                c.TimeoutSeconds,
                c.RetryIntervalSeconds,
                c.LatencyThresholdMs,
                c.FailureThreshold,
                c.RecoveryThreshold,
                c.Location,
                c.Enabled,
                c.ShowTargetOnStatusPage,
                c.CreatedAt,
                c.State,
                c.StateChangedAt,
                c.LastCheckedAt,
                c.LastLatencyMs,
                c.LastMessage,
            }),
        };

        logger.LogInformation("Account {UserId} downloaded its data", user.Id);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(export, ExportJson);
        return File(bytes, "application/json", $"watchtower-data-{time.GetUtcNow():yyyy-MM-dd}.json");
    }
}
