using System.Globalization;
using System.Text.RegularExpressions;

namespace Watchtower.Monitoring.Engine;

/// <summary>A probe location is a Hangfire queue; Hangfire allows lowercase letters, digits, '_' and '-'.</summary>
public static partial class ProbeQueues
{
    public static string ForLocation(string location)
    {
        var name = (location ?? string.Empty).Trim().ToLower(CultureInfo.InvariantCulture);
        return ValidName().IsMatch(name) ? name : "default";
    }

    /// <summary>True when <paramref name="location"/> is a usable queue name as it stands (lowercase, no spaces).</summary>
    public static bool IsValid(string? location) => location is not null && ValidName().IsMatch(location);

    [GeneratedRegex("^[a-z0-9_-]{1,40}$")]
    private static partial Regex ValidName();
}
