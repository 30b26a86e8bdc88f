using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Watchtower.Monitoring.Subscribers;

/// <summary>
/// The tokens of subscriber links. Confirmation: 32 random bytes, base64url, stored only as their
/// SHA-256 (hex); single-use and expiring (<see cref="Data.Entities.Subscriber.ConfirmationLifetime"/>).
/// Unsubscribe: the subscriber's id protected with ASP.NET Data Protection (keys in the database, so
/// the Worker that sends and the Web host that answers agree), put in every message; it works until
/// the subscription is gone (a new subscription of the same address has a new id, so an old link
/// does not end it).
/// </summary>
public sealed class SubscriberTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector unsubscribe = provider.CreateProtector("Watchtower.Subscribers.Unsubscribe.v1");

    public static string NewConfirmToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    public string UnsubscribeToken(int subscriberId) =>
        WebEncoders.Base64UrlEncode(unsubscribe.Protect(Encoding.UTF8.GetBytes(subscriberId.ToString(CultureInfo.InvariantCulture))));

    /// <summary>The subscriber id the token names; null for anything that is not one of ours.</summary>
    public int? SubscriberOf(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1000)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(unsubscribe.Unprotect(WebEncoders.Base64UrlDecode(token)));
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
