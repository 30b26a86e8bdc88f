using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Watchtower.Web.Branding;

/// <summary>What a custom domain may be: a host name of at least two labels that names a public site — not an address, not localhost, not this instance.</summary>
public static partial class DomainNames
{
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    /// <summary>Lowercase ASCII (an internationalised name in its xn-- form), or the message to show.</summary>
    public static (string? Domain, string? Error) Normalize(string? value, IEnumerable<string> ownHosts)
    {
        var text = (value ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        if (text.Length == 0)
        {
            return (null, null);
        }

        if (IPAddress.TryParse(text.Trim('[', ']'), out _))
        {
            return (null, "Enter a host name, not an IP address: readers and certificates need a name such as status.example.com.");
        }

        if (text.Contains("://", StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal))
        {
            return (null, "Enter only the host name, such as status.example.com — no https://, port or path.");
        }

        string ascii;
        try
        {
            ascii = new IdnMapping().GetAscii(text);
        }
        catch (ArgumentException)
        {
            return (null, "This is not a valid host name. Use letters, digits, hyphens and dots, such as status.example.com.");
        }

        var labels = ascii.Split('.');
        if (ascii.Length > 253 || labels.Any(l => !Label().IsMatch(l)))
        {
            return (null, "This is not a valid host name. Use letters, digits, hyphens and dots, such as status.example.com.");
        }

        if (ascii == "localhost" || ascii.EndsWith(".localhost", StringComparison.Ordinal) || ascii.EndsWith(".local", StringComparison.Ordinal)
            || ascii.EndsWith(".internal", StringComparison.Ordinal))
        {
            return (null, $"{ascii} is a name for this machine or a local network; readers could not reach it. Use a public name, such as status.example.com.");
        }

        if (labels.Length < 2 || labels[^1].All(char.IsAsciiDigit))
        {
            return (null, "Enter a full host name with its domain, such as status.example.com.");
        }

        if (ownHosts.Any(h => string.Equals(h.TrimEnd('.'), ascii, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, $"{ascii} is this Watchtower's own address. Use a name of your own, such as status.example.com.");
        }

        return (ascii, null);
    }

    /// <summary>The name of the TXT record that proves control of <paramref name="domain"/>.</summary>
    public static string RecordName(string domain) => "_watchtower." + domain;

    /// <summary>The TXT record's value for a page's token.</summary>
    public static string RecordValue(string token) => "watchtower-verification=" + token;
}
