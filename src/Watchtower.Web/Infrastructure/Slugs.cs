using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Watchtower.Web.Infrastructure;

/// <summary>Slug rules for public status URLs (/status/{slug}).</summary>
public static partial class Slugs
{
    public const int MinLength = 3;

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "admin", "api", "account", "login", "logout", "register", "signup", "dashboard", "status", "health",
        "hangfire", "static", "assets", "css", "js", "new", "edit", "delete", "settings", "www",
    };

    /// <summary>Null when valid, else a message for the field.</summary>
    public static string? Validate(string? slug)
    {
        if (string.IsNullOrEmpty(slug))
        {
            return "Enter a slug for the public address.";
        }

        if (slug.Length < MinLength || slug.Length > Data.Entities.StatusPage.SlugMaxLength)
        {
            return $"Use {MinLength} to {Data.Entities.StatusPage.SlugMaxLength} characters.";
        }

        if (!Pattern().IsMatch(slug))
        {
            return "Use only lowercase letters a–z, digits and single hyphens, starting and ending with a letter or digit.";
        }

        return Reserved.Contains(slug) ? $"“{slug}” is reserved. Choose another slug." : null;
    }

    /// <summary>A slug suggested from a page name: "Acme Mail & DB" → "acme-mail-db".</summary>
    public static string Suggest(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        var decomposed = name.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            builder.Append(lower is >= 'a' and <= 'z' or >= '0' and <= '9' ? lower : '-');
        }

        var slug = Hyphens().Replace(builder.ToString(), "-").Trim('-');
        if (slug.Length > Data.Entities.StatusPage.SlugMaxLength)
        {
            slug = slug[..Data.Entities.StatusPage.SlugMaxLength].TrimEnd('-');
        }

        return slug.Length < MinLength || Reserved.Contains(slug) ? (slug + "-status").TrimStart('-') : slug;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Pattern();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Hyphens();
}
