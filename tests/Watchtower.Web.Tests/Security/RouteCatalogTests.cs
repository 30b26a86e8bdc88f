using System.Net;
using static Watchtower.Web.Tests.Security.SecurityWorld;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Security;

/// <summary>
/// The app's pages as the suite sees them: every page and handler is classified and has a decided
/// access (a new one fails here until someone decides), and signed out only the public ones open.
/// </summary>
public sealed class RouteCatalogTests(SqliteAppFixture fixture) : IClassFixture<SqliteAppFixture>
{
    [Fact]
    public async Task Every_page_and_handler_of_the_app_is_classified_and_has_a_decided_access()
    {
        var catalog = await RouteCatalog.DiscoverAsync(await fixture.UseAsync());

        Assert.True(catalog.Problems.Count == 0, "The suite cannot classify or fill:\n" + string.Join("\n", catalog.Problems));
        Assert.Equal(RouteCatalog.Expected.Count, catalog.Handlers.Count);
    }

    [Fact]
    public async Task Signed_out_only_the_public_pages_open_and_every_other_sends_to_sign_in()
    {
        var app = await fixture.UseAsync();
        var catalog = await RouteCatalog.DiscoverAsync(app);
        using var anonymous = new OwnerClient(app);
        var failures = new List<string>();
        foreach (var handler in catalog.Handlers.Where(h => h.IsGet))
        {
            var url = "/" + System.Text.RegularExpressions.Regex.Replace(handler.Route.Template, @"\{(?<name>[^}:?]+)[^}]*\}", m => m.Groups["name"].Value switch
            {
                "code" => "404",
                "slug" => "no-such-page",
                _ => "1",
            });
            var page = await anonymous.GetAsync(url);
            var toSignIn = page.Status == HttpStatusCode.Redirect && LocationOf(page).StartsWith("/Account/Login?ReturnUrl=", StringComparison.Ordinal);
            if (handler.Route.Class == RouteClass.Public ? toSignIn || (int)page.Status >= 500 : !toSignIn)
            {
                failures.Add($"GET {url} ({handler.Route.Class}): {(int)page.Status} {page.Location}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
