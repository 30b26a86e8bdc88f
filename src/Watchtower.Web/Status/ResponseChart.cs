using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Watchtower.Monitoring.History;

namespace Watchtower.Web.Status;

/// <summary>
/// A response-time chart drawn on the server as inline SVG: average and p95 per hour (or day) as two
/// lines, gaps where nothing was measured. No script, no chart library; colours come from the page's
/// CSS (currentColor and classes), so dark mode applies.
/// </summary>
public static class ResponseChart
{
    private const int Width = 600;
    private const int Height = 140;
    private const int Left = 0;
    private const int Right = 0;
    private const int Top = 4;
    private const int Bottom = 2;

    /// <summary>The top of the chart's scale for these points (its label is HTML, so it does not stretch with the SVG).</summary>
    public static int ScaleTop(IReadOnlyList<LatencyPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var measured = points.Where(p => p.AvgMs is not null).ToList();
        return measured.Count == 0 ? 100 : NiceCeiling(measured.Max(p => p.P95Ms ?? p.AvgMs ?? 0));
    }

    public static HtmlString Svg(IReadOnlyList<LatencyPoint> points, string title)
    {
        ArgumentNullException.ThrowIfNull(points);
        var top = ScaleTop(points);
        var sb = new StringBuilder(4096);
        var enc = HtmlEncoder.Default;
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart-svg\" viewBox=\"0 0 {Width} {Height}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{enc.Encode(title)}\" focusable=\"false\">");
        // Grid: zero and the top of the scale.
        sb.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" y1=\"{Top}\" x2=\"{Width - Right}\" y2=\"{Top}\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\"/>");
        Line(sb, points, p => p.P95Ms, top, "p95");
        Line(sb, points, p => p.AvgMs, top, "avg");
        sb.Append("</svg>");
        return new HtmlString(sb.ToString());
    }

    private static void Line(StringBuilder sb, IReadOnlyList<LatencyPoint> points, Func<LatencyPoint, int?> value, int top, string css)
    {
        var step = points.Count > 1 ? (double)(Width - Left - Right) / (points.Count - 1) : 0;
        var path = new StringBuilder();
        var drawing = false;
        for (var i = 0; i < points.Count; i++)
        {
            if (value(points[i]) is not { } v)
            {
                drawing = false; // a gap: nothing measured then
                continue;
            }

            var x = Left + (i * step);
            var y = Top + ((Height - Top - Bottom) * (1 - (Math.Min(v, top) / (double)top)));
            // Whole units of a 600 × 140 box: finer than a screen pixel at any width the page has, and
            // the 7-day line alone is 168 points on each of 50 services.
            path.Append(drawing ? 'L' : 'M').Append(Math.Round(x).ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Math.Round(y).ToString(CultureInfo.InvariantCulture));
            drawing = true;
        }

        if (path.Length > 0)
        {
            sb.Append("<path class=\"").Append(css).Append("\" d=\"").Append(path).Append("\"/>");
        }
    }

    /// <summary>1, 2 or 5 times a power of ten, at or above <paramref name="value"/>.</summary>
    public static int NiceCeiling(int value)
    {
        if (value <= 10)
        {
            return 10;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var m in new[] { 1, 2, 5, 10 })
        {
            if (m * power >= value)
            {
                return (int)(m * power);
            }
        }

        return (int)(10 * power);
    }
}
