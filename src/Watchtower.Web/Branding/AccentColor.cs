using System.Globalization;
using System.Text.RegularExpressions;

namespace Watchtower.Web.Branding;

/// <summary>
/// A page's accent colour (#rrggbb) and the text colour drawn on it: black or white, whichever
/// contrasts more (WCAG 2 relative luminance). The better of the two is never below 4.58:1 for any
/// colour, so text on the accent always meets the 4.5:1 of WCAG AA.
/// </summary>
public static partial class AccentColor
{
    public const string Black = "#000000";
    public const string White = "#ffffff";

    [GeneratedRegex("^#[0-9a-fA-F]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex Hex();

    /// <summary>Lowercase #rrggbb; null and a message when it is not one.</summary>
    public static (string? Color, string? Error) Normalize(string? value)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return (null, null);
        }

        if (!trimmed.StartsWith('#'))
        {
            trimmed = "#" + trimmed;
        }

        return Hex().IsMatch(trimmed)
            ? (trimmed.ToLowerInvariant(), null)
            : (null, "Enter the colour as # and six hexadecimal digits, such as #1f6feb.");
    }

    public static bool IsValid(string? value) => value is not null && Hex().IsMatch(value);

    /// <summary>Black or white: the text colour with the higher contrast on <paramref name="color"/>.</summary>
    public static string TextOn(string color) =>
        ContrastRatio(color, Black) >= ContrastRatio(color, White) ? Black : White;

    public static double ContrastRatio(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    public static double Luminance(string color)
    {
        if (!IsValid(color))
        {
            throw new ArgumentException($"'{color}' is not #rrggbb.", nameof(color));
        }

        double Channel(int offset)
        {
            var c = int.Parse(color.AsSpan(offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(1)) + (0.7152 * Channel(3)) + (0.0722 * Channel(5));
    }

    /// <summary>The stylesheet of one accent: the header band in the accent, its text and links in the contrasting colour.</summary>
    public static string Stylesheet(string color)
    {
        var text = TextOn(color);
        return $$"""
            /* Watchtower status page accent {{color}}; text {{text}} (contrast {{ContrastRatio(color, text).ToString("0.00", CultureInfo.InvariantCulture)}}:1) */
            .public-head.accented { background: {{color}}; color: {{text}}; border-color: {{color}}; }
            .public-head.accented a, .public-head.accented h1, .public-head.accented p { color: {{text}}; }
            .public-head.accented a:focus-visible { outline-color: {{text}}; }
            """;
    }
}
