using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Outage;

namespace Watchtower.Web.Pages.Account.Manage;

/// <summary>
/// Deletes the account after the password and a typed phrase, with the teams it solely owns (their
/// status pages, checks, results and history cascade from the team). In teams with another owner
/// it only leaves. The page lists which teams go, so an owner can hand one over first.
/// </summary>
public sealed class DeleteModel(SignInManager<WatchtowerUser> signIn, WatchtowerDbContext db, StatusPageSnapshots snapshots, ILogger<DeleteModel> logger) : PageModel
{
    /// <summary>The teams that go with the account: those where it is the only owner, with how many other members each has.</summary>
    public IReadOnlyList<(string Name, int OtherMembers)> TeamsDeleted { get; private set; } = [];

    public const string Phrase = "delete my account";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(128)]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Type the phrase to confirm.")]
        [StringLength(100)]
        [Display(Name = "Confirmation")]
        public string Confirmation { get; set; } = "";
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is not null)
        {
            TeamsDeleted = (await SolelyOwnedAsync(user.Id, cancellationToken)).ConvertAll(t => (t.Name, t.Members.Count - 1));
        }
    }

    private Task<List<Team>> SolelyOwnedAsync(string userId, CancellationToken cancellationToken) =>
        db.Teams.Include(t => t.Members)
            .Where(t => t.Members.Any(m => m.UserId == userId && m.Role == TeamRole.Owner) && t.Members.Count(m => m.Role == TeamRole.Owner) == 1)
            .OrderBy(t => t.Name).ToListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (ModelState.IsValid && !string.Equals(Input.Confirmation.Trim(), Phrase, StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError("Input.Confirmation", $"Type “{Phrase}” exactly.");
        }

        if (ModelState.IsValid && !await signIn.UserManager.CheckPasswordAsync(user, Input.Password))
        {
            ModelState.AddModelError("Input.Password", "That is not your password.");
        }

        if (!ModelState.IsValid)
        {
            await OnGetAsync(cancellationToken);
            return Page();
        }

        // The teams and the account go together or not at all: never an account whose teams are gone.
        var userId = user.Id;
        try
        {
            await db.InTransactionAsync(async ct =>
            {
                db.Teams.RemoveRange(await SolelyOwnedAsync(userId, ct));
                await db.SaveChangesAsync(ct);
                // Loaded again inside the unit: a retried attempt starts with an empty change tracker.
                var account = await signIn.UserManager.FindByIdAsync(userId);
                if (account is not null && !(await signIn.UserManager.DeleteAsync(account)).Succeeded)
                {
                    throw new AccountNotDeletedException();
                }
            }, cancellationToken);
        }
        catch (AccountNotDeletedException)
        {
            ModelState.AddModelError(string.Empty, "The account could not be deleted. Try again.");
            await OnGetAsync(cancellationToken);
            return Page();
        }

        snapshots.ForgetAll(); // the public pages of the teams that went with the account
        await signIn.SignOutAsync();
        logger.LogInformation("Account {UserId} deleted itself", user.Id);
        TempData["Flash"] = "Your account, and the teams only you owned with their status pages and checks, were deleted.";
        return Redirect("/");
    }

    /// <summary>Identity refused the deletion (the account changed meanwhile): rolls the teams' deletion back with it.</summary>
    private sealed class AccountNotDeletedException : Exception;
}
