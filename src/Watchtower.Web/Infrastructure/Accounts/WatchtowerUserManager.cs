using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>
/// Identity's user manager with growing waits instead of its fixed lockout: after the free attempts,
/// each failure makes the next try wait twice as long as the last (1 s, 2 s, 4 s … capped), counted
/// from that failure. A stranger can delay an owner by a few minutes at most, never lock them out
/// for a quarter of an hour. The state is the account row (AccessFailedCount, LockoutEnd), so every
/// Web instance sees the same wait.
/// </summary>
public sealed class WatchtowerUserManager(
    IUserStore<WatchtowerUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<WatchtowerUser> passwordHasher,
    IEnumerable<IUserValidator<WatchtowerUser>> userValidators,
    IEnumerable<IPasswordValidator<WatchtowerUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<WatchtowerUser>> logger,
    IOptions<AccountOptions> accounts,
    Watchtower.Data.WatchtowerDbContext db,
    TimeProvider time)
    : UserManager<WatchtowerUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    /// <summary>
    /// Every account starts in a team of its own (it owns it), so a new person can make pages and
    /// checks at once and later invite colleagues, or join other teams by invitation.
    /// </summary>
    public override async Task<IdentityResult> CreateAsync(WatchtowerUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await base.CreateAsync(user);
        if (result.Succeeded)
        {
            var team = Watchtower.Web.Teams.TeamService.NewTeam(Watchtower.Web.Teams.TeamService.PersonalTeamName(user.Email), user.Id, time.GetUtcNow());
            db.Teams.Add(team);
            await db.SaveChangesAsync(CancellationToken);
            user.CurrentTeamId = team.Id;
            await UpdateUserAsync(user);
        }

        return result;
    }

    /// <summary>Counts a wrong second factor (the password path counts in <see cref="WatchtowerSignInManager"/>).</summary>
    public override Task<IdentityResult> AccessFailedAsync(WatchtowerUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        RecordFailure(user, time.GetUtcNow());
        return UpdateUserAsync(user);
    }

    /// <summary>Ends a run of failures: the count and any wait.</summary>
    public override Task<IdentityResult> ResetAccessFailedCountAsync(WatchtowerUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        if (user.AccessFailedCount == 0 && user.LockoutEnd is null)
        {
            return Task.FromResult(IdentityResult.Success);
        }

        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        return UpdateUserAsync(user);
    }

    /// <summary>
    /// The authenticator key, made on first use. Unlike <see cref="UserManager{TUser}.ResetAuthenticatorKeyAsync"/>
    /// this keeps the security stamp: a key that is not switched on yet protects nothing, so merely
    /// opening the set-up page must not end the account's sessions.
    /// </summary>
    public async Task<string> GetOrCreateAuthenticatorKeyAsync(WatchtowerUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        if (await GetAuthenticatorKeyAsync(user) is { Length: > 0 } key)
        {
            return key;
        }

        key = GenerateNewAuthenticatorKey();
        await ((IUserAuthenticatorKeyStore<WatchtowerUser>)Store).SetAuthenticatorKeyAsync(user, key, CancellationToken);
        var saved = await UpdateUserAsync(user);
        return saved.Succeeded ? key : throw new InvalidOperationException("Could not save the authenticator key: " + string.Join("; ", saved.Errors.Select(e => e.Code)));
    }

    /// <summary>True while the next try must still wait.</summary>
    public bool IsWaiting(WatchtowerUser user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        return SupportsUserLockout && user.LockoutEnabled && user.LockoutEnd is { } end && end > now;
    }

    /// <summary>Adds one failure and sets the wait that follows it (in memory; the caller saves).</summary>
    internal void RecordFailure(WatchtowerUser user, DateTimeOffset now)
    {
        user.AccessFailedCount += 1;
        var delay = accounts.Value.DelayAfter(user.AccessFailedCount);
        user.LockoutEnd = delay > TimeSpan.Zero ? now + delay : null;
    }
}
