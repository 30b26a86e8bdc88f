using Watchtower.Probes.Dns;
using Watchtower.Probes.Tests.Tcp;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Dns;

/// <summary>The DNS probe against a real DNS server holding a test zone, one that fails and one that never answers.</summary>
public sealed class DnsProbeTests : IDisposable
{
    private const string Zone = TestDnsServer.Zone;
    private readonly TestDnsServer server = new();
    private readonly ProbeRunner runner = TestProbes.Runner();

    public void Dispose() => server.Dispose();

    private ProbeRequest Query(string name, DnsRecordType type, DnsExpectation expectation = DnsExpectation.AnyAnswer, string? resolver = null,
        params string[] values) =>
        new(new DnsSettings { Name = name, RecordType = type, Resolver = resolver ?? server.Endpoint, Expectation = expectation, Values = [.. values] },
            TimeSpan.FromSeconds(3));

    [Theory]
    [InlineData("www." + Zone, DnsRecordType.A, "203.0.113.10")]
    [InlineData("www." + Zone, DnsRecordType.AAAA, "2001:db8::10")]
    [InlineData("shop." + Zone, DnsRecordType.CNAME, "www." + Zone)]
    [InlineData(Zone, DnsRecordType.MX, "10 mail." + Zone)]
    [InlineData(Zone, DnsRecordType.NS, "ns1." + Zone)]
    [InlineData(Zone, DnsRecordType.TXT, "v=spf1 mx -all")]
    [InlineData(Zone, DnsRecordType.CAA, "0 issue \"letsencrypt.org\"")]
    [InlineData(Zone, DnsRecordType.SOA, "ns1." + Zone + " hostmaster." + Zone + " 2026112401")]
    [InlineData("_imaps._tcp." + Zone, DnsRecordType.SRV, "0 5 993 mail." + Zone)]
    [InlineData("203.0.113.10", DnsRecordType.PTR, "www." + Zone)]
    public async Task Every_record_type_is_answered_with_values_and_ttls(string name, DnsRecordType type, string expected)
    {
        var result = await runner.RunAsync(Query(name, type, DnsExpectation.Contains, null, expected));

        Assert.True(result.Success, result.Message);
        Assert.Equal("NOERROR", result.Dns!.ResponseCode);
        Assert.Contains(result.Dns.Answers, a => a.Value == expected && a.Ttl > 0);
        Assert.Equal(server.Endpoint, result.Dns.Server);
        Assert.NotNull(result.Timings.Dns);
    }

    [Fact]
    public async Task An_answer_set_can_be_required_exactly()
    {
        var exact = await runner.RunAsync(Query("www." + Zone, DnsRecordType.A, DnsExpectation.Equals, null, "203.0.113.11", "203.0.113.10"));
        var partial = await runner.RunAsync(Query("www." + Zone, DnsRecordType.A, DnsExpectation.Equals, null, "203.0.113.10"));
        var missing = await runner.RunAsync(Query("www." + Zone, DnsRecordType.A, DnsExpectation.Contains, null, "198.51.100.1"));

        Assert.True(exact.Success, exact.Message);
        Assert.Equal(FailureReason.UnexpectedResponse, partial.Reason);
        Assert.Contains("are not exactly 203.0.113.10", partial.Message, StringComparison.Ordinal);
        Assert.Equal(FailureReason.UnexpectedResponse, missing.Reason);
        Assert.Contains("do not include 198.51.100.1", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_nxdomain()
    {
        var result = await runner.RunAsync(Query("nope." + Zone, DnsRecordType.A));

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Dns, result.Reason);
        Assert.Equal("NXDOMAIN", result.Dns!.ResponseCode);
        Assert.Contains("answered NXDOMAIN", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_without_records_of_the_type_has_no_answer()
    {
        var result = await runner.RunAsync(Query("mail." + Zone, DnsRecordType.AAAA));

        Assert.Equal(FailureReason.UnexpectedResponse, result.Reason);
        Assert.Equal("NOERROR", result.Dns!.ResponseCode);
        Assert.Contains("no answer records", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_server_is_servfail_and_a_silent_one_is_a_timeout()
    {
        using var failing = new TestDnsServer(TestDnsServer.Behaviour.ServFail);
        using var silent = new TestDnsServer(TestDnsServer.Behaviour.Silent);

        var servfail = await runner.RunAsync(Query("www." + Zone, DnsRecordType.A, resolver: failing.Endpoint));
        var timeout = await runner.RunAsync(Query("www." + Zone, DnsRecordType.A, resolver: silent.Endpoint) with { Timeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(FailureReason.Dns, servfail.Reason);
        Assert.Equal("SERVFAIL", servfail.Dns!.ResponseCode);
        Assert.Equal(FailureReason.Timeout, timeout.Reason);
        Assert.Null(timeout.Dns);
        Assert.Contains("did not answer within 1 s", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusing_server_is_refused_a_dns_failure_distinct_from_a_timeout()
    {
        using var refusing = new TestDnsServer(TestDnsServer.Behaviour.Refused);

        var result = await runner.RunAsync(Query("www." + Zone, DnsRecordType.A, resolver: refusing.Endpoint));

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Dns, result.Reason);
        Assert.Equal("REFUSED", result.Dns!.ResponseCode);
        Assert.Equal(refusing.Endpoint, result.Dns.Server);
        Assert.Equal($"{refusing.Endpoint} answered REFUSED for www.{Zone} A.", result.Message);
        Assert.NotNull(result.Timings.Dns);
    }

    [Fact]
    public async Task The_transport_is_the_owners_choice_tcp_only_is_tested_over_tcp()
    {
        using var tcpOnly = new TestDnsServer(transports: TestDnsServer.Transports.TcpOnly);
        using var udpOnly = new TestDnsServer(transports: TestDnsServer.Transports.UdpOnly);
        ProbeRequest Ask(TestDnsServer resolver, DnsTransport transport) =>
            new(new DnsSettings { Name = "www." + Zone, RecordType = DnsRecordType.A, Resolver = resolver.Endpoint, Transport = transport }, TimeSpan.FromSeconds(3));

        var overTcp = await runner.RunAsync(Ask(tcpOnly, DnsTransport.Tcp));
        var overUdp = await runner.RunAsync(Ask(tcpOnly, DnsTransport.Udp));
        var tcpToUdpOnly = await runner.RunAsync(Ask(udpOnly, DnsTransport.Tcp));
        var udpToUdpOnly = await runner.RunAsync(Ask(udpOnly, DnsTransport.Udp));

        Assert.True(overTcp.Success, overTcp.Message);
        Assert.Contains("over TCP", overTcp.Message, StringComparison.Ordinal);
        Assert.Contains("203.0.113.10", overTcp.Banner, StringComparison.Ordinal);
        Assert.False(overUdp.Success, "nothing answers UDP on a TCP-only server");
        Assert.False(tcpToUdpOnly.Success, "a resolver that does not answer over TCP fails a TCP-only check");
        Assert.NotEqual(FailureReason.None, tcpToUdpOnly.Reason);
        Assert.True(udpToUdpOnly.Success, udpToUdpOnly.Message);
    }

    [Theory]
    [InlineData(Zone, DnsRecordType.TXT, "google-site-verification=AbC123xYz", true)]
    [InlineData(Zone, DnsRecordType.TXT, "google-site-verification=abc123xyz", false)]
    [InlineData(Zone, DnsRecordType.TXT, "V=SPF1 MX -ALL", false)]
    [InlineData(Zone, DnsRecordType.CAA, "0 ISSUE \"letsencrypt.org\"", true)]
    [InlineData(Zone, DnsRecordType.CAA, "0 issue \"LetsEncrypt.org\"", false)]
    [InlineData("shop." + Zone, DnsRecordType.CNAME, "WWW.Watchtower.Test.", true)]
    [InlineData(Zone, DnsRecordType.MX, "10  MAIL.watchtower.test.", true)]
    [InlineData(Zone, DnsRecordType.NS, "NS2.WATCHTOWER.TEST", true)]
    [InlineData("_imaps._tcp." + Zone, DnsRecordType.SRV, "0 5 993 Mail.Watchtower.Test.", true)]
    [InlineData("203.0.113.10", DnsRecordType.PTR, "www.WATCHTOWER.test.", true)]
    [InlineData("www." + Zone, DnsRecordType.AAAA, "2001:DB8:0:0::10", true)]
    public async Task Names_compare_without_case_or_trailing_dot_but_txt_and_caa_values_keep_their_case(string name, DnsRecordType type, string expected, bool matches)
    {
        var result = await runner.RunAsync(Query(name, type, DnsExpectation.Contains, null, expected));

        Assert.Equal(matches, result.Success);
        if (!matches)
        {
            Assert.Equal(FailureReason.UnexpectedResponse, result.Reason);
            Assert.Contains("do not include", result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_truncated_udp_answer_is_retried_over_tcp()
    {
        using var truncating = new TestDnsServer(truncateUdp: true);

        var result = await runner.RunAsync(Query("www." + Zone, DnsRecordType.A, resolver: truncating.Endpoint));

        Assert.True(result.Success, result.Message);
        Assert.Equal(2, result.Dns!.Answers.Count);
    }

    [Fact]
    public async Task A_private_resolver_is_blocked_unless_private_targets_are_allowed()
    {
        var strict = new ProbeRunner(
            [new DnsProbe(new Watchtower.Probes.Egress.EgressGuard(Microsoft.Extensions.Options.Options.Create(new Watchtower.Probes.Egress.EgressOptions()), new Watchtower.Probes.Egress.SystemHostResolver()), TimeProvider.System)],
            TimeProvider.System);

        var result = await strict.RunAsync(Query("www." + Zone, DnsRecordType.A));

        Assert.Equal(FailureReason.Blocked, result.Reason);
        Assert.Contains("loopback", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.53", "203.0.113.53:53")]
    [InlineData("203.0.113.53:5353", "203.0.113.53:5353")]
    [InlineData("2001:db8::53", "[2001:db8::53]:53")]
    [InlineData("[2001:db8::53]:5353", "[2001:db8::53]:5353")]
    public void Resolver_addresses_parse(string text, string endpoint)
    {
        Assert.True(DnsProbe.TryParseResolver(text, out var parsed));
        Assert.Equal(endpoint, parsed.ToString());
    }

    [Theory]
    [InlineData("dns.example.com")]
    [InlineData("203.0.113.53:99999")]
    [InlineData("")]
    public void Junk_resolver_addresses_do_not_parse(string text) => Assert.False(DnsProbe.TryParseResolver(text, out _));
}
