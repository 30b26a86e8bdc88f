using System.Globalization;
using System.Net;
using Watchtower.Probes.Evaluation;

namespace Watchtower.Web.Checks;

/// <summary>Field rules more than one kind uses: hosts, ports, URLs, day counts, patterns.</summary>
internal static class Fields
{
    /// <summary>A host the probe will dial: normalised (IDN to punycode); an IP literal the guard refuses is refused here too.</summary>
    public static string Host(string? input, CheckValidation context, FieldErrors.Scoped errors, string field = "Host")
    {
        if (!HostInput.TryNormalize(input, out var host, out var error))
        {
            errors.Add(field, error);
            return input?.Trim() ?? "";
        }

        if (IPAddress.TryParse(host, out var literal) && context.WhyBlocked(literal) is { } blocked)
        {
            errors.Add(field, blocked);
        }

        return host;
    }

    /// <summary>An optional name a certificate must be valid for; null when left empty.</summary>
    public static string? CertificateName(string? input, FieldErrors.Scoped errors, string field)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        if (!HostInput.TryNormalize(input, out var name, out var error))
        {
            errors.Add(field, error);
            return input.Trim();
        }

        return name;
    }

    public static void Port(int port, FieldErrors.Scoped errors, string field = "Port")
    {
        if (port is < 1 or > 65535)
        {
            errors.Add(field, "Enter a port from 1 to 65535.");
        }
    }

    public static void Within(int value, int min, int max, FieldErrors.Scoped errors, string field, string message)
    {
        if (value < min || value > max)
        {
            errors.Add(field, message);
        }
    }

    public static void MaxLength(string? value, int max, FieldErrors.Scoped errors, string field)
    {
        if (value is not null && value.Length > max)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"Use at most {max} characters."));
        }
    }

    public static void Pattern(string? pattern, FieldErrors.Scoped errors, string field)
    {
        if (!string.IsNullOrEmpty(pattern) && TextMatch.RegexProblem(pattern) is { } problem)
        {
            errors.Add(field, $"That is not a valid regular expression: {problem}");
        }
    }

    /// <summary>
    /// An http(s) URL to fetch: "https://" is assumed when no scheme is typed; no credentials in it;
    /// a host that is a valid name or address, and not one the guard refuses. Returns it normalised.
    /// </summary>
    public static string Url(string? input, CheckValidation context, FieldErrors.Scoped errors, string field = "Url")
    {
        var text = input?.Trim() ?? "";
        if (text.Length == 0)
        {
            errors.Add(field, "Enter the URL to check, e.g. https://www.example.com/health.");
            return text;
        }

        if (text.Length > 2000)
        {
            errors.Add(field, "Use a URL of at most 2000 characters.");
            return text;
        }

        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(field, "Enter an http:// or https:// URL.");
            return input!.Trim();
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add(field, "Do not put a user name or password in the URL; use a request header instead.");
            return input!.Trim();
        }

        if (!HostInput.TryNormalize(uri.Host, out var host, out var hostError))
        {
            errors.Add(field, hostError);
            return input!.Trim();
        }

        if (IPAddress.TryParse(host, out var literal) && context.WhyBlocked(literal) is { } blocked)
        {
            errors.Add(field, blocked);
        }

        return uri.ToString();
    }
}
