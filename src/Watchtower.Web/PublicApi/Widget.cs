using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Watchtower.Web.PublicApi;

/// <summary>
/// The embeddable widget: a tiny self-contained HTML page (its one style sheet inline, no script,
/// no image, no font, nothing fetched) showing a page's overall state with a link to the page, for
/// an owner's own site to show in an iframe. It is the one route other sites may frame; its CSP
/// allows exactly its own inline style by hash (see <see cref="Infrastructure.SecurityHeaders"/>).
/// </summary>
public static partial class Widget
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>
    /// The widget's whole style. Light and dark by the reader's preference; text colours meet WCAG AA
    /// on their background in both (the state's colour is also a dot, never the only sign).
    /// </summary>
    public const string Style =
        ":root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--line:#d0d7de;--up:#1a7f37;--degraded:#9a6700;--partial:#bc4c00;--major:#cf222e;--maintenance:#0969da;--unknown:#59636e}" +
        "@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--line:#3d444d;--up:#3fb950;--degraded:#d29922;--partial:#f0883e;--major:#f85149;--maintenance:#4493f8;--unknown:#9198a1}}" +
        "html,body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}" +
        "main{padding:2px}h1{margin:0;font-size:14px;font-weight:400}" +
        "a{display:flex;align-items:center;gap:8px;padding:6px 10px;border:1px solid var(--line);border-radius:6px;color:inherit;text-decoration:none;min-width:0}" +
        "a:hover .name,a:focus-visible .name{text-decoration:underline}a:focus-visible{outline:2px solid var(--maintenance);outline-offset:1px}" +
        ".dot{flex:none;width:10px;height:10px;border-radius:50%;background:var(--c)}" +
        ".text{min-width:0;overflow-wrap:anywhere}.name{font-weight:600}.state{color:var(--c)}" +
        ".s-up{--c:var(--up)}.s-degraded{--c:var(--degraded)}.s-partial{--c:var(--partial)}.s-major{--c:var(--major)}.s-maintenance{--c:var(--maintenance)}.s-unknown{--c:var(--unknown)}";

    /// <summary>The CSP of the widget route: nothing but its own style, framable by any site.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; frame-ancestors *; base-uri 'none'; form-action 'none'";

    /// <summary>Whether <paramref name="path"/> is the widget route, <c>/status/{slug}/widget</c>.</summary>
    public static bool IsWidgetPath(PathString path) => path.HasValue && WidgetPath().IsMatch(path.Value!);

    [GeneratedRegex(@"^/status/[^/]+/widget/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WidgetPath();

    public static byte[] Render(PublicPageData data, string pageUrl)
    {
        ArgumentNullException.ThrowIfNull(data);
        var css = data.Overall.Level switch
        {
            OverallLevel.Operational => "s-up",
            OverallLevel.Degraded => "s-degraded",
            OverallLevel.PartialOutage => "s-partial",
            OverallLevel.MajorOutage => "s-major",
            OverallLevel.Maintenance => "s-maintenance",
            _ => "s-unknown",
        };
        var name = WebUtility.HtmlEncode(data.Name);
        var state = WebUtility.HtmlEncode(data.Overall.Text);
        var html =
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\">" +
            $"<title>{name} status</title><style>{Style}</style></head>" +
            $"<body><main><h1><a class=\"{css}\" id=\"widget-link\" href=\"{WebUtility.HtmlEncode(pageUrl)}\" target=\"_blank\" rel=\"noopener\">" +
            "<span class=\"dot\" aria-hidden=\"true\"></span>" +
            $"<span class=\"text\"><span class=\"name\">{name}</span>: <span class=\"state\" id=\"widget-state\">{state}</span></span>" +
            "</a></h1></main></body></html>\n";
        return Encoding.UTF8.GetBytes(html);
    }
}
