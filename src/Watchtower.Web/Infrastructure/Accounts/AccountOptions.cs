namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>Bound from <c>Watchtower:Accounts</c>.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Watchtower:Accounts";

    /// <summary>
    /// Owners must confirm their email address before they may save checks. Sign-in works either way.
    /// A private instance without mail can turn this off.
    /// </summary>
    public bool RequireConfirmedEmail { get; set; } = true;

    /// <summary>Wrong passwords (or codes) in a row before each further try has to wait.</summary>
    public int FreeSignInAttempts { get; set; } = 5;

    /// <summary>The wait after the first failure past the free ones; it doubles with each further failure.</summary>
    public TimeSpan FirstSignInDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between tries, however many failures.</summary>
    public TimeSpan MaxSignInDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most one confirmation, reset or sign-up notice per account and kind within this time.</summary>
    public TimeSpan EmailInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the next try must wait after <paramref name="failures"/> failures in a row, counted
    /// from the last one: nothing for the free attempts, then 1 s, 2 s, 4 s … up to the cap.
    /// </summary>
    public TimeSpan DelayAfter(int failures)
    {
        var beyond = failures - FreeSignInAttempts;
        if (beyond < 0)
        {
            return TimeSpan.Zero;
        }

        // 2^30 seconds is decades: the cap applies long before the shift could overflow.
        var factor = 1L << Math.Min(beyond, 30);
        var ticks = FirstSignInDelay.Ticks > MaxSignInDelay.Ticks / factor ? MaxSignInDelay.Ticks : FirstSignInDelay.Ticks * factor;
        return TimeSpan.FromTicks(Math.Min(ticks, MaxSignInDelay.Ticks));
    }
}
