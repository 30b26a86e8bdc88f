using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using QRCoder;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>The otpauth:// address of an authenticator key, its QR code (drawn here, a PNG data URI), and the key for typing.</summary>
public static class AuthenticatorQrCode
{
    public static string Uri(string issuer, string email, string key) =>
        string.Format(CultureInfo.InvariantCulture, "otpauth://totp/{0}:{1}?secret={2}&issuer={0}&digits=6",
            UrlEncoder.Default.Encode(issuer), UrlEncoder.Default.Encode(email), key);

    public static string PngDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    /// <summary>Groups of four, lower case, as authenticator apps accept it typed.</summary>
    public static string FormatKey(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0)
            {
                result.Append(' ');
            }

            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return result.ToString().ToLowerInvariant();
    }
}
