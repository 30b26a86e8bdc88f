using System.Globalization;

namespace Watchtower.Probes.Http;

/// <summary>Parses and matches expected status codes: "200-399", "200,204", "301-308, 200".</summary>
public static class StatusRanges
{
    public static bool TryParse(string? text, out IReadOnlyList<(int From, int To)> ranges, out string error)
    {
        var list = new List<(int, int)>();
        ranges = list;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "Enter at least one status code or range, e.g. 200-399.";
            return false;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2
                || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                || from is < 100 or > 599 || to is < 100 or > 599 || to < from)
            {
                error = $"“{part}” is not a status code (100–599) or a range like 200-299.";
                return false;
            }

            list.Add((from, to));
        }

        return true;
    }

    public static bool Matches(IReadOnlyList<(int From, int To)> ranges, int status) =>
        ranges.Any(r => status >= r.From && status <= r.To);
}
