using System.Net;
using Microsoft.Extensions.Options;
using Watchtower.Probes.Egress;

namespace Watchtower.Probes.Tests.Egress;

public sealed class EgressGuardTests
{
    private static EgressGuard Guard(bool allowPrivate = false, IHostResolver? resolver = null, params string[] named)
    {
        var options = new EgressOptions { AllowPrivateTargets = allowPrivate };
        foreach (var entry in named)
        {
            options.AllowedAddresses.Add(entry);
        }

        return new(Options.Create(options), resolver ?? new SystemHostResolver());
    }

    [Theory]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
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
        Assert.Contains("Watchtower:Probes:AllowedAddresses", why, StringComparison.Ordinal);
        Assert.Null(Guard(allowPrivate: true).WhyBlocked(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("169.254.10.10", "link-local", "169.254.10.10")]
    [InlineData("169.254.169.253", "link-local", "169.254.0.0/16")] // AWS's VPC DNS: a platform service, but not one that hands out credentials
    [InlineData("fe80::1", "link-local", "fe80::/10")]
    [InlineData("fd00:ec2::253", "AWS platform", "fd00:ec2::253")]
    [InlineData("fd00:ec2::123", "AWS platform", "fd00:ec2::/32")]
    [InlineData("240.0.0.1", "reserved", "240.0.0.0/4")]
    [InlineData("::7f00:1", "reserved IPv6", "::7f00:1")]
    public void Always_blocked_ranges_stay_blocked_with_private_targets_and_open_only_to_a_named_entry(string address, string category, string entry)
    {
        var ip = IPAddress.Parse(address);

        var why = Guard(allowPrivate: true).WhyBlocked(ip);

        Assert.NotNull(why);
        Assert.Contains(category, why, StringComparison.Ordinal);
        Assert.Contains("never dial it unless the operator names it in Watchtower:Probes:AllowedAddresses", why, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowPrivateTargets", why, StringComparison.Ordinal);
        Assert.Null(Guard(allowPrivate: false, null, entry).WhyBlocked(ip));
        Assert.Null(Guard(allowPrivate: true, null, entry).WhyBlocked(ip));
    }

    [Theory]
    [InlineData("169.254.169.254", "AWS, Azure, GCP")]
    [InlineData("fd00:ec2::254", "AWS instance metadata over IPv6")]
    [InlineData("169.254.170.2", "ECS")]
    [InlineData("169.254.170.23", "Pod Identity")]
    [InlineData("fd00:ec2::23", "Pod Identity")]
    [InlineData("168.63.129.16", "Azure WireServer")]
    [InlineData("100.100.100.200", "Alibaba")]
    [InlineData("169.254.0.23", "Tencent")]
    [InlineData("192.0.0.192", "Oracle")]
    [InlineData("fe80::a9fe:a9fe", "OpenStack")]
    [InlineData("fe80::a9fe:a9fe%2", "OpenStack")]
    [InlineData("::ffff:168.63.129.16", "Azure WireServer")]
    [InlineData("64:ff9b::a9fe:aa17", "Pod Identity")]
    [InlineData("2002:a9fe:a9fe::1", "AWS, Azure, GCP")]
    [InlineData("2001:0:4136:e378:8000:63bf:5601:5601", "AWS, Azure, GCP")] // Teredo, client 169.254.169.254 inverted
    [InlineData("64:ff9b:1::a9fe:a9fe", "AWS, Azure, GCP")]              // local-use NAT64, /96 form
    public void Platform_endpoints_are_never_dialled_not_even_when_named(string address, string platform)
    {
        var ip = IPAddress.Parse(address);
        // The operator names the very address (as the guard judges it, without a zone) and every range around it.
        var judged = new IPAddress(AddressRules.JudgedAs(ip).Last().GetAddressBytes()).ToString();
        var named = Guard(true, null, judged, "169.254.0.0/16", "fe80::/10", "fd00:ec2::/32", "192.0.0.0/24", "100.64.0.0/10", "168.63.0.0/16");

        var why = named.WhyBlocked(ip);

        Assert.NotNull(why);
        Assert.Contains("is a cloud metadata address", why, StringComparison.Ordinal);
        Assert.Contains(platform, why, StringComparison.Ordinal);
        Assert.Contains("probes never dial it, not even when Watchtower:Probes:AllowedAddresses names it.", why, StringComparison.Ordinal);
        Assert.NotNull(Guard().WhyBlocked(ip));
    }

    [Fact]
    public void A_named_address_opens_that_address_and_nothing_next_to_it()
    {
        var guard = Guard(allowPrivate: false, null, "10.20.0.7", "192.168.50.0/24", "fd12:3456::/48");

        Assert.Null(guard.WhyBlocked(IPAddress.Parse("10.20.0.7")));
        Assert.Null(guard.WhyBlocked(IPAddress.Parse("::ffff:10.20.0.7"))); // the same host, written as mapped IPv6
        Assert.Null(guard.WhyBlocked(IPAddress.Parse("192.168.50.200")));
        Assert.Null(guard.WhyBlocked(IPAddress.Parse("fd12:3456:0:1::9")));
        Assert.NotNull(guard.WhyBlocked(IPAddress.Parse("10.20.0.8")));
        Assert.NotNull(guard.WhyBlocked(IPAddress.Parse("192.168.51.1")));
        Assert.NotNull(guard.WhyBlocked(IPAddress.Parse("fd12:3457::1")));
        Assert.NotNull(guard.WhyBlocked(IPAddress.Parse("127.0.0.1")));
    }

    [Fact]
    public void An_entry_that_does_not_read_allows_nothing()
    {
        // The validator stops the host first; a guard built without it still fails closed.
        var guard = Guard(allowPrivate: false, null, "0x7f.1", "127.0.0.0/0", "not an address");

        Assert.NotNull(guard.WhyBlocked(IPAddress.Parse("127.0.0.1")));
    }

    [Fact]
    public void Teredo_and_local_nat64_must_pass_as_themselves_and_as_the_ipv4_address_they_carry()
    {
        // 2001:0:4136:e378:8000:63bf:f5ff:fffe carries client 10.0.0.1 (inverted); 64:ff9b:1::a00:1 carries 10.0.0.1.
        var teredo = IPAddress.Parse("2001:0:4136:e378:8000:63bf:f5ff:fffe");
        var localNat64 = IPAddress.Parse("64:ff9b:1::a00:1");

        Assert.Contains("IETF protocol", Guard().WhyBlocked(teredo), StringComparison.Ordinal);
        Assert.Null(Guard(allowPrivate: true).WhyBlocked(teredo));
        Assert.Contains("local-use NAT64", Guard(allowPrivate: false, null, "10.0.0.1").WhyBlocked(localNat64), StringComparison.Ordinal);
        Assert.Contains("which carries 10.0.0.1", Guard(allowPrivate: false, null, "64:ff9b:1::/48").WhyBlocked(localNat64), StringComparison.Ordinal);
        Assert.Null(Guard(allowPrivate: false, null, "64:ff9b:1::/48", "10.0.0.1").WhyBlocked(localNat64));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.170.2")]
    [InlineData("100.100.100.200")]
    [InlineData("fd00:ec2::254")]
    [InlineData("168.63.129.16")]
    [InlineData("169.254.1.1")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::1")]
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
    [InlineData("168.63.129.17")]
    [InlineData("2001:4860:4860::8888")]
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
