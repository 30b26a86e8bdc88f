using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Watchtower.Web.Checks;

/// <summary>
/// Validates and normalizes a host a person typed into a form: a DNS name (IDN allowed, stored as
/// punycode), a strict dotted-quad IPv4 literal, or an IPv6 literal with or without brackets.
/// Everything else is rejected with a message fit to show next to the field.
/// </summary>
public static partial class HostInput
{
    public static bool TryNormalize(string? input, out string host, out string error) =>
        TryNormalize(input, allowUnderscore: false, out host, out error);

    /// <summary>
    /// A name a DNS check asks about. Like a host, but labels may hold underscores, as service and
    /// policy names do (_imaps._tcp.example.com, _dmarc.example.com); an IP literal is kept for PTR.
    /// </summary>
    public static bool TryNormalizeRecordName(string? input, out string name, out string error) =>
        TryNormalize(input, allowUnderscore: true, out name, out error);

    private static bool TryNormalize(string? input, bool allowUnderscore, out string host, out string error)
    {
        host = "";
        error = "";
        var text = input?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = "Enter a host name or IP address.";
            return false;
        }

        if (text.Length > 300)
        {
            error = "That is too long for a host name (at most 253 characters).";
            return false;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            error = "Enter only the host name, without http:// or another scheme (for example mail.example.com).";
            return false;
        }

        if (text.Any(char.IsWhiteSpace))
        {
            error = "A host name cannot contain spaces.";
            return false;
        }

        if (text.Contains('/', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal)
            || text.Contains('?', StringComparison.Ordinal) || text.Contains('#', StringComparison.Ordinal))
        {
            error = "Enter only the host name, without a path (for example mail.example.com).";
            return false;
        }

        if (text.Contains('@', StringComparison.Ordinal))
        {
            error = "Enter only the host name, without a user name or @.";
            return false;
        }

        if (text.StartsWith('[') || text.Count(c => c == ':') >= 2)
        {
            return TryIPv6(text, out host, out error);
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            error = "Enter the host without a port; put the port in the Port field.";
            return false;
        }

        if (LooksNumeric().IsMatch(text))
        {
            return TryIPv4(text, out host, out error);
        }

        return TryDnsName(text, allowUnderscore, out host, out error);
    }

    private static bool TryIPv6(string text, out string host, out string error)
    {
        host = "";
        error = "";
        var inner = text;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "The IPv6 address has an opening [ but no closing ].";
                return false;
            }

            if (close != text.Length - 1)
            {
                error = "Enter the host without a port; put the port in the Port field.";
                return false;
            }

            inner = text[1..close];
        }

        if (inner.Contains('%', StringComparison.Ordinal))
        {
            error = "IPv6 zone ids (%eth0) are not supported; use a global address or a host name.";
            return false;
        }

        if (!IPAddress.TryParse(inner, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            error = "That is not a valid IPv6 address.";
            return false;
        }

        host = address.ToString();
        return true;
    }

    private static bool TryIPv4(string text, out string host, out string error)
    {
        host = "";
        error = "";
        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || (p.Length > 1 && p[0] == '0')
                || !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 255))
        {
            // Short, octal, hex and decimal-integer forms are refused: resolvers read them differently.
            error = "That is not a valid IPv4 address. Use four numbers from 0 to 255, like 203.0.113.10.";
            return false;
        }

        host = text;
        return true;
    }

    private static bool TryDnsName(string text, bool allowUnderscore, out string host, out string error)
    {
        host = "";
        error = "";
        var name = text.TrimEnd('.');
        if (name.Length == 0 || name.Contains("..", StringComparison.Ordinal) || name.StartsWith('.'))
        {
            error = "That host name has an empty part between dots.";
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length > 63)
            {
                error = "Each part of a host name between dots can have at most 63 characters.";
                return false;
            }

            if (label.StartsWith('-') || label.EndsWith('-'))
            {
                error = "Each part of a host name must start and end with a letter or digit, with only letters, digits and hyphens between.";
                return false;
            }
        }

        string ascii;
        try
        {
            // STD3 rules refuse underscores; without them the label pattern below still allows only
            // letters, digits, hyphens and (for record names) underscores.
            ascii = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = !allowUnderscore }.GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = "That host name has characters that are not allowed. Use letters, digits, hyphens and dots.";
            return false;
        }

        if (ascii.Length > 253)
        {
            error = "That host name is too long (at most 253 characters).";
            return false;
        }

        foreach (var label in ascii.Split('.'))
        {
            if (label.Length > 63)
            {
                error = "Each part of a host name between dots can have at most 63 characters.";
                return false;
            }

            if (!(allowUnderscore ? RecordLabel() : Label()).IsMatch(label))
            {
                error = allowUnderscore
                    ? "Each part of a name must start and end with a letter, digit or underscore, with only letters, digits, hyphens and underscores between."
                    : "Each part of a host name must start and end with a letter or digit, with only letters, digits and hyphens between.";
                return false;
            }
        }

        var last = ascii[(ascii.LastIndexOf('.') + 1)..];
        if (last.All(char.IsAsciiDigit))
        {
            error = "That is not a valid IPv4 address or host name.";
            return false;
        }

        host = ascii;
        return true;
    }

    /// <summary>Every label a decimal or 0x-hex number: an IPv4 attempt, however odd its form.</summary>
    [GeneratedRegex(@"^(0[xX][0-9a-fA-F]*|[0-9]+)(\.(0[xX][0-9a-fA-F]*|[0-9]+))*\.?$")]
    private static partial Regex LooksNumeric();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$")]
    private static partial Regex RecordLabel();
}
