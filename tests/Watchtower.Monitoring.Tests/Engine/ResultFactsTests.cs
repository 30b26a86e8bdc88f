using Watchtower.Monitoring.Engine;
using Watchtower.Probes;
using Watchtower.Probes.Dns;
using Watchtower.Probes.Http;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Tls;

namespace Watchtower.Monitoring.Tests.Engine;

public sealed class ResultFactsTests
{
    [Fact]
    public void Facts_survive_the_round_trip_through_storage()
    {
        var at = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
        var result = new ProbeResult
        {
            Success = true,
            Message = "ok",
            StartedAt = at,
            Timings = new ProbeTimings { Dns = TimeSpan.FromMilliseconds(3.4), Connect = TimeSpan.FromMilliseconds(12), Total = TimeSpan.FromMilliseconds(40) },
            RemoteEndpoint = "203.0.113.10:443",
            Banner = new string('b', 400),
            TlsProtocol = "Tls13",
            Http = new HttpFacts { StatusCode = 200, FinalUrl = "https://example.com/", Redirects = [new HttpHop("http://example.com/", 301)], BodyBytes = 42 },
            Dns = new DnsFacts { ResponseCode = "NOERROR", Server = "127.0.0.1:53", Answers = [new DnsAnswer("203.0.113.10", 300)] },
            Certificate = new CertificateFacts
            {
                Subject = "CN=example.com", Issuer = "CN=CA", Valid = false, Problem = "it is self-signed",
                Problems = [CertificateProblem.SelfSigned], ChainSent = ["CN=example.com"],
            },
            Seo = [new SeoFinding(SeoRules.H1, "no h1", "(no <h1>)")],
        };

        var json = ResultFacts.ToJson(result, FailureReason.Tls);
        var stored = ResultFacts.Parse(json);
        var shown = ResultFacts.ToProbeResult(json, "The TLS certificate is not valid.", at, FailureReason.Tls);

        Assert.NotNull(stored);
        Assert.Equal(FailureReason.Tls, stored.Reason);
        Assert.Equal(301, stored.Http!.Redirects[0].Status);
        Assert.Equal(300, stored.Dns!.Answers[0].Ttl);
        Assert.Contains(CertificateProblem.SelfSigned, stored.Certificate!.Problems);
        Assert.Equal(SeoRules.H1, stored.Seo![0].Rule);
        Assert.Equal(ResultFacts.BannerMaxLength, stored.Banner!.Length);
        Assert.Equal((TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(12), (TimeSpan?)null, TimeSpan.FromMilliseconds(40)),
            (shown.Timings.Dns, shown.Timings.Connect, shown.Timings.Tls, shown.Timings.Total));
        Assert.Equal(("203.0.113.10:443", "Tls13", "CN=example.com", at, FailureReason.Tls, "The TLS certificate is not valid."),
            (shown.RemoteEndpoint, shown.TlsProtocol, shown.Certificate?.Subject, shown.StartedAt, shown.Reason, shown.Message));
        Assert.Null(ResultFacts.Parse("{not json"));
    }

    [Fact]
    public void A_run_without_kind_facts_keeps_its_timings_and_address_and_no_facts_shows_only_the_message()
    {
        var json = ResultFacts.ToJson(new ProbeResult
        {
            Success = true, Message = "port open", RemoteEndpoint = "127.0.0.1:5432",
            Timings = new ProbeTimings { Connect = TimeSpan.FromMilliseconds(1), Total = TimeSpan.FromMilliseconds(1) },
        }, FailureReason.None);

        Assert.Equal("""{"reason":"None","timings":{"connectMs":1,"totalMs":1},"remoteEndpoint":"127.0.0.1:5432"}""", json);
        var bare = ResultFacts.ToProbeResult(null, "No result facts kept", DateTimeOffset.UnixEpoch, FailureReason.Refused);
        Assert.Equal(("No result facts kept", FailureReason.Refused, (string?)null, TimeSpan.Zero), (bare.Message, bare.Reason, bare.RemoteEndpoint, bare.Timings.Total));
    }
}
