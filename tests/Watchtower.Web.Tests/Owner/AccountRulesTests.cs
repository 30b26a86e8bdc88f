using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Tests.Owner;

/// <summary>The one question the check service asks: may this account save checks?</summary>
public sealed class AccountRulesTests
{
    [Theory]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    [InlineData(false, false, true)]
    [InlineData(false, true, true)]
    public void Saving_checks_waits_for_a_confirmed_address_only_when_the_operator_requires_it(bool required, bool confirmed, bool allowed)
    {
        var rules = new AccountRules(Options.Create(new AccountOptions { RequireConfirmedEmail = required }));

        Assert.Equal(allowed, rules.MaySaveChecks(new WatchtowerUser { EmailConfirmed = confirmed }));
    }

    [Fact]
    public async Task With_confirmation_not_required_an_unconfirmed_owner_sees_no_notice_and_may_save_checks()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?> { ["Watchtower:Accounts:RequireConfirmedEmail"] = "false" },
        }, TestContext.Current.CancellationToken);
        using var owner = new OwnerClient(app);
        await owner.RegisterAsync(confirm: false);

        var dashboard = await owner.GetAsync("/Dashboard");

        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Null(dashboard.Document.QuerySelector("#confirm-email-notice"));
        var rules = app.Services.GetRequiredService<AccountRules>();
        Assert.True(rules.MaySaveChecks(new WatchtowerUser { EmailConfirmed = false }));
    }
}
