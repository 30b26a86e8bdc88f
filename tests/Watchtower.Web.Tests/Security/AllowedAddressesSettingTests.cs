using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Probes.Egress;
using Watchtower.Testing;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Security;

/// <summary>Watchtower:Probes:AllowedAddresses in the real host: bound and checked at start, and the one way past the guard the forms and probes honour.</summary>
public sealed class AllowedAddressesSettingTests
{
    private static Task<WatchtowerApp> AppAsync(params (string Key, string Value)[] settings) =>
        WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = settings.Append((Key: "Watchtower:Probes:AllowPrivateTargets", Value: "false")).ToDictionary(s => s.Key, s => (string?)s.Value),
        }, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("10.0.0.5/24", "has bits set after the /24 prefix; write 10.0.0.0/24")]
    [InlineData("0x7f.1", "is not an address or CIDR range")]
    [InlineData("0.0.0.0/0", "allows every address")]
    [InlineData("169.254.169.254", "is a cloud metadata address")]
    public async Task A_bad_entry_stops_the_host_naming_the_entry(string entry, string problem)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await AppAsync(("Watchtower:Probes:AllowedAddresses:0", "10.20.0.7"), ("Watchtower:Probes:AllowedAddresses:1", entry));
            _ = app.Services;
        });

        Assert.Contains($"Watchtower:Probes:AllowedAddresses:1: “{entry}” {problem}", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_address_is_checked_by_test_now_while_its_neighbours_and_metadata_stay_refused()
    {
        await using var listener = new LoopbackListener(IPAddress.Parse("127.0.0.3"), 0);
        await using var app = await AppAsync(("Watchtower:Probes:AllowedAddresses:0", "127.0.0.3"));
        using var owner = await new OwnerClient(app).RegisterAsync();
        var guard = app.Services.GetRequiredService<EgressGuard>();
        var port = listener.Port.ToString(CultureInfo.InvariantCulture);

        var named = await owner.PostFormAsync("/Checks/Create?handler=Test", OwnerSteps.CheckForm(host: "127.0.0.3", port: port), formPage: "/Checks/Create");
        var neighbour = await owner.PostFormAsync("/Checks/Create?handler=Test", OwnerSteps.CheckForm(host: "127.0.0.4", port: port), formPage: "/Checks/Create");
        var metadata = await owner.PostFormAsync("/Checks/Create?handler=Test", OwnerSteps.CheckForm(host: "169.254.169.254", port: "80"), formPage: "/Checks/Create");
        var encoded = await owner.PostFormAsync("/Checks/Create?handler=Test", OwnerSteps.CheckForm(host: "0x7f.0.0.3", port: port), formPage: "/Checks/Create");

        Assert.Equal("up", named.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Equal(1, listener.Accepted);
        Assert.Contains("loopback address", neighbour.FieldError("Input.Tcp.Host"), StringComparison.Ordinal);
        Assert.Contains("is a cloud metadata address", metadata.FieldError("Input.Tcp.Host"), StringComparison.Ordinal);
        Assert.Contains("not even when Watchtower:Probes:AllowedAddresses names it", metadata.FieldError("Input.Tcp.Host"), StringComparison.Ordinal);
        Assert.Contains("not a valid IPv4 address", encoded.FieldError("Input.Tcp.Host"), StringComparison.Ordinal);
        Assert.Null(guard.WhyBlocked(IPAddress.Parse("127.0.0.3")));
        Assert.NotNull(guard.WhyBlocked(IPAddress.Parse("168.63.129.16")));
    }
}
