using Microsoft.Playwright;

namespace Watchtower.Testing;

/// <summary>
/// Headless Chromium through Playwright, using the machine's browser (never a download):
/// WATCHTOWER_CHROMIUM, else /usr/bin/chromium (Debian package chromium). Missing → skip with the
/// reason, or a failure when WATCHTOWER_REQUIRE_BROWSER=1 (CI).
/// </summary>
public static class TestBrowser
{
    private static readonly Lazy<Task<IPlaywright>> Shared = new(Playwright.CreateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool Required => Environment.GetEnvironmentVariable("WATCHTOWER_REQUIRE_BROWSER") == "1";

    public static async Task<IBrowser> LaunchAsync()
    {
        var path = Environment.GetEnvironmentVariable("WATCHTOWER_CHROMIUM");
        if (string.IsNullOrWhiteSpace(path))
        {
            path = "/usr/bin/chromium";
        }

        if (!File.Exists(path))
        {
            var reason = $"No Chromium at {path}. Install it (apt-get install chromium) or set WATCHTOWER_CHROMIUM to a Chromium or Chrome binary.";
            if (Required)
            {
                Assert.Fail(reason + " (WATCHTOWER_REQUIRE_BROWSER=1 turns this skip into a failure.)");
            }

            Assert.Skip(reason);
        }

        var playwright = await Shared.Value;
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }
}
