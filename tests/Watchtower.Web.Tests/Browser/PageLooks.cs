using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// Looks at a page as readers will: at 1280 and 390 px, light and dark, with a screenshot of each
/// (TestResults/screenshots/pages), no sideways scrolling and no axe violation of any impact. Every
/// look is taken before anything fails, so one run shows all that is wrong.
/// </summary>
public sealed class PageLooks
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("1280", 1280, 900), ("390", 390, 844)];
    private static readonly ColorScheme[] Schemes = [ColorScheme.Light, ColorScheme.Dark];

    public List<string> Problems { get; } = [];

    public async Task EachAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        foreach (var scheme in Schemes)
        {
            foreach (var (size, width, height) in Sizes)
            {
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await page.SetViewportSizeAsync(width, height);
                var look = $"{name}-{size}-{scheme.ToString().ToLowerInvariant()}";
                await ScreenshotAsync(page, look); // first, so a failing look can be seen
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                if (overflow > 0)
                {
                    Problems.Add($"{look}: the page scrolls sideways by {overflow} px");
                }

                var result = await page.RunAxe();
                Problems.AddRange(result.Violations.Select(v => $"{look}: axe {v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}"));
            }
        }

        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.SetViewportSizeAsync(1280, 900);
    }

    public void AssertNone() => Assert.True(Problems.Count == 0, string.Join(Environment.NewLine, Problems));

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", "pages");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000, "the screenshot should not be empty");
    }
}
