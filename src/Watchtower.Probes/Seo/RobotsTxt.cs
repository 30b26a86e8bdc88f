namespace Watchtower.Probes.Seo;

/// <summary>
/// The parts of robots.txt a status check needs: the rules for all crawlers (User-agent: *), with
/// the longest matching Allow/Disallow winning (RFC 9309), and the Sitemap lines.
/// </summary>
public sealed class RobotsTxt
{
    private readonly List<(bool Allow, string Path, string Line)> rules = [];

    public IReadOnlyList<string> Sitemaps { get; }

    private RobotsTxt(List<string> sitemaps) => Sitemaps = sitemaps;

    public static RobotsTxt Parse(string? text)
    {
        var sitemaps = new List<string>();
        var robots = new RobotsTxt(sitemaps);
        var inStarGroup = false;
        var lastWasAgent = false;
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var field = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (field)
            {
                case "user-agent":
                    inStarGroup = (lastWasAgent && inStarGroup) || value == "*";
                    lastWasAgent = true;
                    continue;
                case "sitemap":
                    sitemaps.Add(value);
                    break;
                case "allow" or "disallow" when inStarGroup && value.Length > 0:
                    robots.rules.Add((field == "allow", value, raw.Trim()));
                    break;
            }

            lastWasAgent = false;
        }

        return robots;
    }

    /// <summary>The robots.txt line that disallows <paramref name="path"/> for all crawlers, or null when it is allowed.</summary>
    public string? DisallowingLine(string path)
    {
        var best = rules.Where(r => Matches(r.Path, path)).OrderByDescending(r => r.Path.Length).ThenByDescending(r => r.Allow).FirstOrDefault();
        return best.Line is not null && !best.Allow ? best.Line : null;
    }

    private static bool Matches(string pattern, string path)
    {
        var anchored = pattern.EndsWith('$');
        var body = anchored ? pattern[..^1] : pattern;
        var parts = body.Split('*');
        var position = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var index = path.IndexOf(parts[i], position, StringComparison.Ordinal);
            if (index < 0 || (i == 0 && index != 0))
            {
                return false;
            }

            position = index + parts[i].Length;
        }

        return !anchored || position == path.Length;
    }
}
