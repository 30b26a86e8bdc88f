using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Watchtower.Data.Entities;

namespace Watchtower.Web.PublicApi;

/// <summary>
/// A badge in the shields.io "flat" style: a grey label and a coloured message, 20 px high, text laid
/// out by <see cref="BadgeFont"/>. An image for screen readers: <c>role="img"</c>, an
/// <c>aria-label</c> and a <c>&lt;title&gt;</c> saying "label: message". Built as XML, so a
/// component's name is text, never markup.
/// </summary>
public sealed record Badge(string Label, string Message, string Color)
{
    public const string ContentType = "image/svg+xml; charset=utf-8";

    /// <summary>Longer names are cut (with an ellipsis): a badge is a glance, not a paragraph.</summary>
    public const int MaxLabelLength = 40;

    public const string Green = "#4c1";
    public const string YellowGreen = "#a4a61d";
    public const string Yellow = "#dfb317";
    public const string Orange = "#fe7d37";
    public const string Red = "#e05d44";
    public const string Blue = "#007ec6";
    public const string Grey = "#9f9f9f";

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public string ToSvg()
    {
        var label = Label.Length > MaxLabelLength ? string.Concat(Label.AsSpan(0, MaxLabelLength - 1), "…") : Label;
        var labelText = Math.Ceiling(BadgeFont.Width(label));
        var messageText = Math.Ceiling(BadgeFont.Width(Message));
        var labelWidth = labelText + 10;
        var messageWidth = messageText + 10;
        var width = labelWidth + messageWidth;
        var aria = $"{label}: {Message}";

        var svg = new XElement(Svg + "svg",
            new XAttribute("width", N(width)), new XAttribute("height", "20"), new XAttribute("viewBox", $"0 0 {N(width)} 20"),
            new XAttribute("role", "img"), new XAttribute("aria-label", aria),
            new XElement(Svg + "title", aria),
            new XElement(Svg + "linearGradient", new XAttribute("id", "s"), new XAttribute("x2", "0"), new XAttribute("y2", "100%"),
                new XElement(Svg + "stop", new XAttribute("offset", "0"), new XAttribute("stop-color", "#bbb"), new XAttribute("stop-opacity", ".1")),
                new XElement(Svg + "stop", new XAttribute("offset", "1"), new XAttribute("stop-opacity", ".1"))),
            new XElement(Svg + "clipPath", new XAttribute("id", "r"),
                new XElement(Svg + "rect", new XAttribute("width", N(width)), new XAttribute("height", "20"), new XAttribute("rx", "3"), new XAttribute("fill", "#fff"))),
            new XElement(Svg + "g", new XAttribute("clip-path", "url(#r)"),
                new XElement(Svg + "rect", new XAttribute("width", N(labelWidth)), new XAttribute("height", "20"), new XAttribute("fill", "#555")),
                new XElement(Svg + "rect", new XAttribute("x", N(labelWidth)), new XAttribute("width", N(messageWidth)), new XAttribute("height", "20"), new XAttribute("fill", Color)),
                new XElement(Svg + "rect", new XAttribute("width", N(width)), new XAttribute("height", "20"), new XAttribute("fill", "url(#s)"))),
            new XElement(Svg + "g",
                new XAttribute("fill", "#fff"), new XAttribute("text-anchor", "middle"),
                new XAttribute("font-family", "Verdana,Geneva,DejaVu Sans,sans-serif"), new XAttribute("text-rendering", "geometricPrecision"), new XAttribute("font-size", "110"),
                Text(label, labelWidth / 2, labelText, shadow: true),
                Text(label, labelWidth / 2, labelText, shadow: false),
                Text(Message, labelWidth + (messageWidth / 2), messageText, shadow: true),
                Text(Message, labelWidth + (messageWidth / 2), messageText, shadow: false)));
        return svg.ToString(SaveOptions.DisableFormatting);
    }

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToSvg());

    // Text is drawn at 10× and scaled down, as shields does, for finer positioning; the shadow is hidden from screen readers.
    private static XElement Text(string text, double center, double textWidth, bool shadow)
    {
        var element = new XElement(Svg + "text",
            new XAttribute("x", N(center * 10)), new XAttribute("y", shadow ? "150" : "140"), new XAttribute("transform", "scale(.1)"),
            new XAttribute("fill", shadow ? "#010101" : "#fff"), new XAttribute("textLength", N(textWidth * 10)), text);
        if (shadow)
        {
            element.Add(new XAttribute("fill-opacity", ".3"), new XAttribute("aria-hidden", "true"));
        }

        return element;
    }

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A page's overall state.</summary>
    public static Badge ForOverall(string label, OverallStatus overall)
    {
        ArgumentNullException.ThrowIfNull(overall);
        return overall.Level switch
        {
            OverallLevel.Operational => new Badge(label, "operational", Green),
            OverallLevel.Degraded => new Badge(label, "degraded performance", Yellow),
            OverallLevel.PartialOutage => new Badge(label, "partial outage", Orange),
            OverallLevel.MajorOutage => new Badge(label, "major outage", Red),
            OverallLevel.Maintenance => new Badge(label, "under maintenance", Blue),
            _ => new Badge(label, "unknown", Grey),
        };
    }

    /// <summary>One service: what the page shows for it (pending and paused in grey).</summary>
    public static Badge ForComponent(PublicComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (component.Shown is null && component.State is CheckState.Pending or CheckState.Paused)
        {
            return new Badge(component.Name, component.State == CheckState.Paused ? "paused" : "pending", Grey);
        }

        return PublicComponentText.StatusOf(component) switch
        {
            ComponentStatus.Operational => new Badge(component.Name, "operational", Green),
            ComponentStatus.DegradedPerformance => new Badge(component.Name, "degraded performance", Yellow),
            ComponentStatus.PartialOutage => new Badge(component.Name, "partial outage", Orange),
            ComponentStatus.MajorOutage => new Badge(component.Name, "major outage", Red),
            _ => new Badge(component.Name, "under maintenance", Blue),
        };
    }

    /// <summary>Uptime with two decimals, cut rather than rounded (99.996 % is not 100 %); "no data" when nothing was observed.</summary>
    public static Badge ForUptime(string label, double? percent)
    {
        if (percent is not { } value)
        {
            return new Badge(label, "no data", Grey);
        }

        var cut = Math.Floor(value * 100) / 100;
        var color = cut >= 99.9 ? Green : cut >= 99 ? YellowGreen : cut >= 95 ? Yellow : cut >= 90 ? Orange : Red;
        return new Badge(label, cut.ToString("0.00", CultureInfo.InvariantCulture) + "%", color);
    }

    /// <summary>"24h", "7d", "30d", "90d".</summary>
    public static string WindowName(int days) => days == 1 ? "24h" : $"{days.ToString(CultureInfo.InvariantCulture)}d";
}
