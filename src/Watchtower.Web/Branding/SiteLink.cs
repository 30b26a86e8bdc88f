namespace Watchtower.Web.Branding;

/// <summary>The owner's own site, linked from the page header: an absolute http or https address, nothing else (no javascript:, data:, relative or credentialed links).</summary>
public static class SiteLink
{
    public static (string? Url, string? Error) Normalize(string? value, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return (null, null);
        }

        if (trimmed.Length > maxLength)
        {
            return (null, $"Use at most {maxLength} characters.");
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (null, "Enter a web address that starts with https:// or http://, such as https://example.com.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return (null, "Leave the user name and password out of the address.");
        }

        if (uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6) || uri.Host.Length == 0)
        {
            return (null, "Enter a web address with a host name, such as https://example.com.");
        }

        return (uri.AbsoluteUri, null);
    }
}
