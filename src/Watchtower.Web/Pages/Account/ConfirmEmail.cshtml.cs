using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Pages.Account;

/// <summary>The link of the confirmation email. It confirms once; opened again it only says so.</summary>
public sealed class ConfirmEmailModel(UserManager<WatchtowerUser> users, ILogger<ConfirmEmailModel> logger) : PageModel
{
    public enum Result
    {
        Invalid,
        Confirmed,
        AlreadyConfirmed,
    }

    public Result Outcome { get; private set; }

    public async Task OnGetAsync(string? userId, string? code)
    {
        var token = AccountTokens.Decode(code);
        var user = string.IsNullOrEmpty(userId) || token is null ? null : await users.FindByIdAsync(userId);
        if (user is null || token is null)
        {
            Outcome = Result.Invalid;
            return;
        }

        // A real token for an account that is confirmed already: the link was used.
        if (user.EmailConfirmed)
        {
            Outcome = await users.VerifyUserTokenAsync(user, users.Options.Tokens.EmailConfirmationTokenProvider, UserManager<WatchtowerUser>.ConfirmEmailTokenPurpose, token)
                ? Result.AlreadyConfirmed : Result.Invalid;
            return;
        }

        var result = await users.ConfirmEmailAsync(user, token);
        Outcome = result.Succeeded ? Result.Confirmed : Result.Invalid;
        if (result.Succeeded)
        {
            logger.LogInformation("Account {UserId} confirmed its email address", user.Id);
        }
    }
}
