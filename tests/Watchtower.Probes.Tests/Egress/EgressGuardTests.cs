using System.Net;
using Microsoft.Extensions.Options;
using Watchtower.Probes.Egress;

namespace Watchtower.Probes.Tests.Egress;

public sealed class EgressGuardTests
{
    private static EgressGuard Guard(bool allowPrivate = false, IHostResolver? resolver = null) =>
        new(Options.Create(new EgressOptions { AllowPrivateTargets = allowPrivate }), resolver ?? new SystemHostResolver());

    [Theory]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("169.254.10.10", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.254", "carrier-grade NAT")]
    [InlineData("192.0.0.8", "IETF")]
    [InlineData("192.0.2.1", "documentation")]
    [InlineData("198.51.100.7", "documentation")]
    [InlineData("203.0.113.7", "documentation")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("::1", "loopback")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("64:ff9b::a00:1", "private")]
    [InlineData("2002:7f00:1::", "loopback")]
    [InlineData("64:ff9b:1::a00:1", "local-use NAT64")]
    [InlineData("2620:4f:8000::1", "AS112")]
    public void Private_ranges_are_blocked_with_a_way_to_allow_them(string address, string category)
    {
        var why = Guard().WhyBlocked(IPAddress.Parse(address));

        Assert.NotNull(why);
        Assert.Contains(category, why, StringComparison.Ordinal);
        Assert.Contains("Watchtower:Probes:AllowPrivateTargets=true", why, StringComparison.Ordinal);
        Assert.Null(Guard(allowPrivate: true).WhyBlocked(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.170.2")]
    [InlineData("100.100.100.200")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("ff02::1")]
    [InlineData("::7f00:1")]      // IPv4-compatible ::127.0.0.1 (deprecated)
    [InlineData("4000::1")]       // outside 2000::/3: not assigned
    [InlineData("100:0:0:1::1")]  // the dummy prefix
    [InlineData("100::1")]
    public void Metadata_multicast_and_unspecified_addresses_stay_blocked_even_when_private_targets_are_allowed(string address)
    {
        var why = Guard(allowPrivate: true).WhyBlocked(IPAddress.Parse(address));

        Assert.NotNull(why);
        Assert.Contains("never dial", why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("2a00:1450:4001::200e")]
    [InlineData("::ffff:1.1.1.1")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.Null(Guard().WhyBlocked(IPAddress.Parse(address)));

    [Fact]
    public async Task A_name_is_refused_when_any_of_its_addresses_is_blocked()
    {
        var resolver = new FixedResolver(new() { ["mixed.example"] = [IPAddress.Parse("1.1.1.1"), IPAddress.Parse("10.0.0.5")] });

        var resolution = await Guard(resolver: resolver).ResolveAsync("mixed.example", TestContext.Current.CancellationToken);

        Assert.False(resolution.Allowed);
        Assert.Equal(FailureReason.Blocked, resolution.Reason);
        Assert.Contains("mixed.example resolves to 10.0.0.5", resolution.Message, StringComparison.Ordinal);
        Assert.Empty(resolution.Addresses);
        Assert.Equal(1, resolver.Lookups);
    }

    [Fact]
    public async Task Resolution_interleaves_address_families_and_looks_up_once()
    {
        var resolver = new FixedResolver(new()
        {
            ["dual.example"] = [IPAddress.Parse("2606:4700::1"), IPAddress.Parse("2606:4700::2"), IPAddress.Parse("1.1.1.1")],
        });

        var resolution = await Guard(resolver: resolver).ResolveAsync("dual.example", TestContext.Current.CancellationToken);

        Assert.True(resolution.Allowed);
        Assert.Equal(["2606:4700::1", "1.1.1.1", "2606:4700::2"], resolution.Addresses.Select(a => a.ToString()));
        Assert.NotNull(resolution.DnsTime);
        Assert.Equal(1, resolver.Lookups);
    }

    [Fact]
    public async Task An_unknown_name_is_a_dns_failure()
    {
        var resolution = await Guard(resolver: new FixedResolver([])).ResolveAsync("nothing.example", TestContext.Current.CancellationToken);

        Assert.Equal(FailureReason.Dns, resolution.Reason);
        Assert.Contains("No such host: nothing.example", resolution.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_system_resolver_reports_a_name_that_cannot_exist_as_dns()
    {
        // .invalid is reserved (RFC 2606): no resolver anywhere answers it with an address.
        var resolution = await Guard().ResolveAsync("watchtower-test.invalid", TestContext.Current.CancellationToken);

        Assert.Equal(FailureReason.Dns, resolution.Reason);
        Assert.Contains("watchtower-test.invalid", resolution.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ip_literal_is_not_looked_up()
    {
        var resolver = new FixedResolver([]);

        var resolution = await Guard(resolver: resolver).ResolveAsync("1.1.1.1", TestContext.Current.CancellationToken);

        Assert.True(resolution.Allowed);
        Assert.Null(resolution.DnsTime);
        Assert.Equal(0, resolver.Lookups);
    }
}
