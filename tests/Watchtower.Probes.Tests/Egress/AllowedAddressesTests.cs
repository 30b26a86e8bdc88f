using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Watchtower.Probes.Egress;

namespace Watchtower.Probes.Tests.Egress;

/// <summary>The operator's allow-list: how entries read, what stops the host, and the documented list matching the guard's.</summary>
public sealed partial class AllowedAddressesTests
{
    private static ValidateOptionsResult Validate(params string[] entries)
    {
        var options = new EgressOptions();
        foreach (var entry in entries)
        {
            options.AllowedAddresses.Add(entry);
        }

        return new EgressOptionsValidator().Validate(null, options);
    }

    [Theory]
    [InlineData("10.20.0.7")]
    [InlineData("10.20.0.0/24")]
    [InlineData(" 192.168.7.0/24 ")]
    [InlineData("169.254.10.0/24")]
    [InlineData("169.254.0.0/16")]   // holds metadata addresses, which stay refused; the rest of the link is the operator's call
    [InlineData("fd12:3456::/48")]
    [InlineData("FD00:EC2::53")]
    [InlineData("fe80::/10")]
    [InlineData("240.0.0.0/4")]
    [InlineData("8.8.8.8/32")]
    public void A_plain_address_or_range_is_accepted(string entry) =>
        Assert.True(Validate(entry).Succeeded, Validate(entry).FailureMessage);

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("localhost", "not an address or CIDR range")]
    [InlineData("0x7f.1", "not an address or CIDR range")]
    [InlineData("2130706433", "not an address or CIDR range")]
    [InlineData("017700000001", "not an address or CIDR range")]
    [InlineData("010.0.0.1", "not an address or CIDR range")]  // .NET would read it as 8.0.0.1
    [InlineData("127.1", "not an address or CIDR range")]
    [InlineData("[fd12::1]", "not an address or CIDR range")]
    [InlineData("fe80::1%eth0", "not an address or CIDR range")]
    [InlineData("10.0.0.0/33", "no valid prefix length")]
    [InlineData("10.0.0.0/", "no valid prefix length")]
    [InlineData("10.0.0.0/-8", "no valid prefix length")]
    [InlineData("fd00::/129", "no valid prefix length")]
    [InlineData("0.0.0.0/0", "allows every address")]
    [InlineData("::/0", "allows every address")]
    [InlineData("10.0.0.5/24", "write 10.0.0.0/24 for the whole range, or 10.0.0.5 alone")]
    [InlineData("::ffff:10.0.0.5", "name that instead")]
    [InlineData("64:ff9b::a00:5", "name that instead")]
    [InlineData("2002:a00:5::/48", "name that instead")]
    [InlineData("169.254.169.254", "cloud metadata address (AWS, Azure, GCP")]
    [InlineData("168.63.129.16", "Azure WireServer")]
    [InlineData("100.100.100.200/32", "Alibaba")]
    [InlineData("fd00:ec2::254", "AWS instance metadata over IPv6")]
    [InlineData("224.0.0.0/4", "multicast")]
    [InlineData("0.0.0.0/8", "\"this network\"")]
    [InlineData("255.255.255.255", "broadcast")]
    public void A_bad_entry_is_refused_naming_the_setting_and_what_to_write(string entry, string problem)
    {
        var result = Validate("10.1.1.1", entry);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Watchtower:Probes:AllowedAddresses:1: ", failure, StringComparison.Ordinal);
        Assert.Contains(problem, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_bind_from_configuration_and_a_bad_one_fails_when_the_options_are_read()
    {
        static IOptions<EgressOptions> Bound(Dictionary<string, string?> settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(configuration);
            services.AddOptions<EgressOptions>().BindConfiguration(EgressOptions.SectionName);
            services.AddSingleton<IValidateOptions<EgressOptions>, EgressOptionsValidator>();
            return services.BuildServiceProvider().GetRequiredService<IOptions<EgressOptions>>();
        }

        var good = Bound(new() { ["Watchtower:Probes:AllowedAddresses:0"] = "10.20.0.7", ["Watchtower:Probes:AllowedAddresses:1"] = "169.254.10.0/24" });
        var bad = Bound(new() { ["Watchtower:Probes:AllowedAddresses:0"] = "10.20.0.7", ["Watchtower:Probes:AllowedAddresses:1"] = "10.20.0.7/16" });

        Assert.Equal(["10.20.0.7", "169.254.10.0/24"], good.Value.AllowedAddresses);
        var guard = new EgressGuard(good, new FixedResolver([]));
        Assert.Null(guard.WhyBlocked(IPAddress.Parse("169.254.10.99")));
        var failure = Assert.Throws<OptionsValidationException>(() => bad.Value);
        Assert.Contains("Watchtower:Probes:AllowedAddresses:1: “10.20.0.7/16” has bits set after the /16 prefix", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_documented_table_is_the_guards_list_with_a_source_on_every_row()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "checks.md"));
        var section = docs[docs.IndexOf("## What probes may dial", StringComparison.Ordinal)..];
        var rows = TableRow().Matches(section).Select(m => (Range: m.Groups["range"].Value, Treatment: m.Groups["treatment"].Value.Trim(), Source: m.Groups["source"].Value)).ToList();

        var documented = rows.Select(r => $"{IPNetwork.Parse(r.Range)} {r.Treatment}").Order(StringComparer.Ordinal).ToList();
        var applied = AddressRules.All.Select(r => $"{r.Network} {Words(r.Treatment)}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(applied, documented);
        Assert.All(rows, r => Assert.Matches(@"\]\(https://", r.Source));
    }

    private static string Words(RangeTreatment treatment) => treatment switch
    {
        RangeTreatment.Never => "never",
        RangeTreatment.AlwaysBlocked => "named only",
        _ => "private",
    };

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Watchtower.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Watchtower.sln above the test's folder.");
    }

    [GeneratedRegex(@"^\| `(?<range>[0-9a-fA-F:.]+/\d+)` \|[^|]*\| (?<treatment>[a-z ]+) \| (?<source>.*) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
