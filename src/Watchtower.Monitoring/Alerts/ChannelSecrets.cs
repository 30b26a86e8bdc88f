using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Watchtower.Monitoring.Alerts;

/// <summary>
/// Encrypts channel secrets (webhook signing secrets, chat hook URLs) with ASP.NET Data Protection,
/// whose keys live in the database, so the Web host that saves a secret and any Worker that sends
/// with it read the same keys. Secrets are never logged and never shown again after saving.
/// </summary>
public sealed class ChannelSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("Watchtower.Alerts.ChannelSecret.v1");

    /// <summary>The Standard Webhooks prefix of a serialised secret.</summary>
    public const string WebhookSecretPrefix = "whsec_";

    /// <summary>The Standard Webhooks bounds of a secret's length, in bytes.</summary>
    public const int MinimumSecretBytes = 24;

    public const int MaximumSecretBytes = 64;

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);

    /// <summary>A new signing secret: "whsec_" + base64 of 32 random bytes.</summary>
    public static string NewWebhookSecret() => WebhookSecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The HMAC key of a "whsec_…" secret (its base64 part, decoded); null when it is not one of 24 to 64 bytes.</summary>
    public static byte[]? KeyOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!secret.StartsWith(WebhookSecretPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var encoded = secret[WebhookSecretPrefix.Length..];
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written) || written is < MinimumSecretBytes or > MaximumSecretBytes)
        {
            return null;
        }

        return buffer[..written];
    }
}
