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
        var result = new ProbeResult
        {
            Success = true,
            Message = "ok",
            Http = new HttpFacts { StatusCode = 200, FinalUrl = "https://example.com/", Redirects = [new HttpHop("http://example.com/", 301)], BodyBytes = 42 },
            Dns = new DnsFacts { ResponseCode = "NOERROR", Server = "127.0.0.1:53", Answers = [new DnsAnswer("203.0.113.10", 300)] },
            Certificate = new CertificateFacts
            {
                Subject = "CN=example.com", Issuer = "CN=CA", Valid = false, Problem = "it is self-signed",
                Problems = [CertificateProblem.SelfSigned], ChainSent = ["CN=example.com"],
            },
            Seo = [new SeoFinding(SeoRules.H1, "no h1", "(no <h1>)")],
        };

        var stored = ResultFacts.Parse(ResultFacts.ToJson(result));

        Assert.NotNull(stored);
        Assert.Equal(301, stored.Http!.Redirects[0].Status);
        Assert.Equal(300, stored.Dns!.Answers[0].Ttl);
        Assert.Contains(CertificateProblem.SelfSigned, stored.Certificate!.Problems);
        Assert.Equal(SeoRules.H1, stored.Seo![0].Rule);
        Assert.Null(ResultFacts.ToJson(new ProbeResult { Success = true, Message = "port open" }));
        Assert.Null(ResultFacts.Parse("{not json"));
    }
}
