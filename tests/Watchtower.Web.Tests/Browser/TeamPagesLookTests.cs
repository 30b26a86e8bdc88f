using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Browser;

/// <summary>The team pages an owner and an invited colleague meet, at 1280 and 390 px, light and dark, with no axe violation.</summary>
public sealed class TeamPagesLookTests : IAsyncLifetime
{
    private readonly PageLooks looks = new();
    private WatchtowerApp app = null!;
    private IBrowser browser = null!;
    private string baseUrl = "";

    public async ValueTask InitializeAsync()
    {
        browser = await TestBrowser.LaunchAsync();
        app = await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Sqlite }, TestContext.Current.CancellationToken);
        app.UseKestrel(0);
        app.StartServer();
        baseUrl = app.ClientOptions.BaseAddress.ToString().TrimEnd('/');
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Members_invitations_settings_audit_and_joining_pass_axe_and_fit_a_phone()
    {
        await using var ownerContext = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        var owner = await ownerContext.NewPageAsync();
        owner.SetDefaultTimeout(45_000);
        await BrowserSignUp.SignUpAsync(owner, app, OwnerClient.NewEmail());

        await owner.GotoAsync("/Teams/Create");
        await looks.EachAsync(owner, "team-create");
        await owner.FillAsync("#Name", "Acme Operations");
        await owner.ClickAsync("#team-submit");
        await Assertions.Expect(owner).ToHaveURLAsync(new Regex("/Dashboard$"));
        Assert.Equal("Acme Operations", (await owner.InnerTextAsync("#nav-team")).Trim());

        var colleague = OwnerClient.NewEmail();
        await owner.GotoAsync("/Teams/Index");
        await owner.FillAsync("#Invite_Email", colleague);
        await owner.SelectOptionAsync("#Invite_Role", "Viewer");
        await owner.ClickAsync("#invite-submit");
        await owner.WaitForSelectorAsync(".flash");
        Assert.Contains(colleague, await owner.InnerTextAsync("#invitations"), StringComparison.Ordinal);
        await looks.EachAsync(owner, "team-members");
        await owner.GotoAsync("/Teams/Settings");
        await looks.EachAsync(owner, "team-settings");

        // The colleague signs up with the invited address, then opens the link.
        var link = Mailbox.Link(await app.Mailbox.WaitForAsync(colleague, "invited you"), "/Teams/Join");
        await using var colleagueContext = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        var invited = await colleagueContext.NewPageAsync();
        invited.SetDefaultTimeout(45_000);
        await BrowserSignUp.SignUpAsync(invited, app, colleague);
        await invited.GotoAsync(link);
        await looks.EachAsync(invited, "team-join");
        await invited.ClickAsync("#join-submit");
        await Assertions.Expect(invited).ToHaveURLAsync(new Regex("/Dashboard$"));
        Assert.Contains("Acme Operations", await invited.InnerTextAsync("#team-switch"), StringComparison.Ordinal);
        await looks.EachAsync(invited, "dashboard-viewer");

        await owner.GotoAsync("/Teams/Audit");
        Assert.Contains("member.joined", await owner.InnerTextAsync("#audit-table"), StringComparison.Ordinal);
        await looks.EachAsync(owner, "team-audit");
        looks.AssertNone();
    }
}
