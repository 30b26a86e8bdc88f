using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>
/// Password sign-in that tells a stranger nothing:
/// <list type="bullet">
/// <item>an unknown address costs the same password-hash work as a known one (no timing oracle);</item>
/// <item>a try during a wait gets the same answer as a wrong password, and its password is never judged,
/// so the wait really limits guessing;</item>
/// <item>each try is claimed in the database <em>before</em> the password is checked (a failure until
/// proven right), with the account's concurrency stamp, so parallel requests on any number of Web
/// instances cannot get more guesses than the waits allow.</item>
/// </list>
/// </summary>
public sealed class WatchtowerSignInManager(
    UserManager<WatchtowerUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<WatchtowerUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<WatchtowerUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<WatchtowerUser> confirmation,
    WatchtowerDbContext db,
    TimeProvider time)
    : SignInManager<WatchtowerUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static string? unknownAccountHash;

    private WatchtowerUserManager Users => (WatchtowerUserManager)UserManager;

    /// <summary>Signs in by email address (the user name is always the email address).</summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByEmailAsync(userName);
        if (user is null)
        {
            // The same hashing work a wrong password for a real account costs.
            _ = UserManager.PasswordHasher.VerifyHashedPassword(new WatchtowerUser(), UnknownAccountHash(), password);
            return SignInResult.Failed;
        }

        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> PasswordSignInAsync(WatchtowerUser user, string password, bool isPersistent, bool lockoutOnFailure) =>
        await AuditedAsync(user, "password", await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure));

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        return await AuditedAsync(user, "password and authenticator code", await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient));
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        return await AuditedAsync(user, "password and recovery code", await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode));
    }

    /// <summary>A completed sign-in goes into the audit log of every team the person is in (their owners see who came in, and when).</summary>
    private async Task<SignInResult> AuditedAsync(WatchtowerUser? user, string how, SignInResult result)
    {
        if (result.Succeeded && user is not null)
        {
            var now = time.GetUtcNow();
            var address = Context.Connection.RemoteIpAddress?.ToString();
            foreach (var teamId in await db.TeamMembers.Where(m => m.UserId == user.Id).Select(m => m.TeamId).ToListAsync())
            {
                db.AuditEvents.Add(new AuditEvent
                {
                    TeamId = teamId, At = now, ActorUserId = user.Id, Actor = user.Email ?? user.Id, Action = "user.signed-in",
                    Target = user.Email ?? user.Id, Details = $"with {how}", ClientAddress = address,
                });
            }

            await db.SaveChangesAsync();
        }

        return result;
    }

    public override async Task<SignInResult> CheckPasswordSignInAsync(WatchtowerUser user, string password, bool lockoutOnFailure)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!await CanSignInAsync(user))
        {
            return SignInResult.NotAllowed;
        }

        var now = time.GetUtcNow();
        if (Users.IsWaiting(user, now) || !await TryClaimAttemptAsync(user, now))
        {
            // Hash anyway so a wait takes as long as a wrong password, and ignore the result.
            _ = UserManager.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? UnknownAccountHash(), password);
            Logger.LogInformation("Sign-in try for account {UserId} refused: it must wait after earlier failures", user.Id);
            return SignInResult.Failed;
        }

        if (!await UserManager.CheckPasswordAsync(user, password))
        {
            Logger.LogInformation("Wrong password for account {UserId} ({Failures} in a row)", user.Id, user.AccessFailedCount);
            return SignInResult.Failed;
        }

        // The right password ends the run of failures, unless a second factor follows: then only the
        // right code does (as Identity does), so knowing the password gives no free code guesses.
        // The wait is lifted either way, so the code can be typed straight away.
        if (await IsTwoFactorEnabledAsync(user) && !await IsTwoFactorClientRememberedAsync(user))
        {
            var lifted = await UserManager.SetLockoutEndDateAsync(user, null);
            return lifted.Succeeded ? SignInResult.Success : SignInResult.Failed;
        }

        var reset = await UserManager.ResetAccessFailedCountAsync(user);
        return reset.Succeeded ? SignInResult.Success : SignInResult.Failed;
    }

    /// <summary>Records this try as a failure, unless another request changed the account meanwhile.</summary>
    private async Task<bool> TryClaimAttemptAsync(WatchtowerUser user, DateTimeOffset now)
    {
        Users.RecordFailure(user, now);
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            await db.Entry(user).ReloadAsync();
            return false;
        }
    }

    private string UnknownAccountHash() =>
        unknownAccountHash ??= UserManager.PasswordHasher.HashPassword(new WatchtowerUser(), Guid.NewGuid().ToString());
}
