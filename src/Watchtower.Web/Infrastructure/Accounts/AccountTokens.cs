using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>Identity's tokens made safe for a URL and back (as Identity's own UI does).</summary>
public static class AccountTokens
{
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>The token, or null when the link was mangled.</summary>
    public static string? Decode(string? encoded)
    {
        if (string.IsNullOrWhiteSpace(encoded))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
