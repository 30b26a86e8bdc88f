namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>Claims Watchtower adds to the signed-in principal (rebuilt on every request by the security-stamp check).</summary>
public static class AccountClaims
{
    /// <summary>"true" or "false": whether the account's current email address is confirmed.</summary>
    public const string EmailConfirmed = "watchtower:email_confirmed";

    /// <summary>"true" or "false": whether the account signs in with a second factor (teams may require it).</summary>
    public const string TwoFactorEnabled = "watchtower:two_factor";
}
