using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Watchtower.Probes.Http;
using Watchtower.Probes.Tls;
using Watchtower.Probes.Tests.Tcp;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Http;

/// <summary>The HTTP probe against a real Kestrel server on 127.0.0.1, with TLS certificates made here.</summary>
public sealed class HttpProbeTests : IAsyncLifetime
{
    private readonly TestCertificates certificates = new();
    private TestWebServer server = null!;
    private ProbeRunner runner = null!;

    public async ValueTask InitializeAsync()
    {
        server = await TestWebServer.StartAsync(certificates.Leaf(), [certificates.Intermediate]);
        runner = TestProbes.Runner(certificates.Authority);
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        certificates.Dispose();
    }

    private static ProbeRequest Get(string url, HttpProbeOptions? options = null)
    {
        var uri = new Uri(url);
        return new ProbeRequest(ProbeKind.Http, uri.Host, uri.Port, TimeSpan.FromSeconds(10)) { Http = (options ?? new HttpProbeOptions()) with { Url = url } };
    }

    private string Https(string path) => server.HttpsBase!.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + path;

    [Fact]
    public async Task A_200_page_is_up_with_status_size_and_timings()
    {
        var result = await runner.RunAsync(Get(server.HttpBase + "/ok"));

        Assert.True(result.Success, result.Message);
        Assert.Equal(200, result.Http!.StatusCode);
        Assert.Equal(server.HttpBase + "/ok", result.Http.FinalUrl);
        Assert.Equal("hello watchtower, all is well".Length, result.Http.BodyBytes);
        Assert.StartsWith("text/plain", result.Http.ContentType, StringComparison.Ordinal);
        Assert.NotNull(result.Timings.Connect);
        Assert.NotNull(result.Timings.FirstByte);
        Assert.Equal(server.HttpBase.Replace("http://", "", StringComparison.Ordinal), result.RemoteEndpoint);
    }

    [Theory]
    [InlineData(500, "200-399", false)]
    [InlineData(404, "200-399", false)]
    [InlineData(404, "200,404", true)]
    [InlineData(503, "500-599", true)]
    [InlineData(201, "200-299", true)]
    public async Task Statuses_are_judged_against_the_expected_list(int status, string expected, bool up)
    {
        var result = await runner.RunAsync(Get($"{server.HttpBase}/status/{status}", new HttpProbeOptions { ExpectedStatus = expected }));

        Assert.Equal(up, result.Success);
        Assert.Equal(status, result.Http!.StatusCode);
        if (!up)
        {
            Assert.Equal(FailureReason.Status, result.Reason);
            Assert.Contains($"answered {status}", result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Redirects_are_followed_and_reported_hop_by_hop()
    {
        var followed = await runner.RunAsync(Get(server.HttpBase + "/redirect/3"));
        var notFollowed = await runner.RunAsync(Get(server.HttpBase + "/redirect/3", new HttpProbeOptions { FollowRedirects = false, ExpectedStatus = "200" }));
        var loop = await runner.RunAsync(Get(server.HttpBase + "/loop", new HttpProbeOptions { MaxRedirects = 4 }));

        Assert.True(followed.Success, followed.Message);
        Assert.Equal(server.HttpBase + "/ok", followed.Http!.FinalUrl);
        Assert.Equal(["/redirect/3", "/redirect/2", "/redirect/1"], followed.Http.Redirects.Select(h => new Uri(h.Url).AbsolutePath));
        Assert.All(followed.Http.Redirects, h => Assert.Equal(302, h.Status));
        Assert.Equal(FailureReason.Status, notFollowed.Reason);
        Assert.Equal(302, notFollowed.Http!.StatusCode);
        Assert.Equal(FailureReason.Status, loop.Reason);
        Assert.Contains("More than 4 redirects", loop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_redirect_hop_passes_the_egress_guard()
    {
        var strict = TestProbes.Runner(certificates.Authority, allowPrivate: false);
        var toMetadata = await runner.RunAsync(Get(server.HttpBase + "/to?url=http://169.254.169.254/latest/meta-data/"));
        var direct = await strict.RunAsync(Get(server.HttpBase + "/ok"));

        Assert.Equal(FailureReason.Blocked, toMetadata.Reason);
        Assert.Contains("169.254.169.254", toMetadata.Message, StringComparison.Ordinal);
        Assert.Single(toMetadata.Http!.Redirects);
        Assert.Equal(FailureReason.Blocked, direct.Reason);
    }

    [Fact]
    public async Task Keywords_must_be_present_or_absent()
    {
        var present = await runner.RunAsync(Get(server.HttpBase + "/ok", new HttpProbeOptions { MustContain = "all is well" }));
        var missing = await runner.RunAsync(Get(server.HttpBase + "/ok", new HttpProbeOptions { MustContain = "database OK" }));
        var forbidden = await runner.RunAsync(Get(server.HttpBase + "/ok", new HttpProbeOptions { MustNotContain = "hello" }));
        var regex = await runner.RunAsync(Get(server.HttpBase + "/ok", new HttpProbeOptions { MustContain = "^hello \\w+,", KeywordsAreRegex = true }));

        Assert.True(present.Success, present.Message);
        Assert.Equal(FailureReason.Keyword, missing.Reason);
        Assert.Equal("The page does not contain “database OK”.", missing.Message);
        Assert.Equal(FailureReason.Keyword, forbidden.Reason);
        Assert.True(regex.Success, regex.Message);
    }

    [Fact]
    public async Task Post_with_a_body_and_headers_and_head()
    {
        var post = await runner.RunAsync(Get(server.HttpBase + "/echo", new HttpProbeOptions
        {
            Method = "POST", Body = "{\"ping\":1}", ContentType = "application/json",
            Headers = [new("X-Probe", "watchtower")], MustContain = "method=POST probe=watchtower type=application/json",
        }));
        var head = await runner.RunAsync(Get(server.HttpBase + "/ok", new HttpProbeOptions { Method = "HEAD" }));

        Assert.True(post.Success, post.Message);
        Assert.True(head.Success, head.Message);
        Assert.Equal(0, head.Http!.BodyBytes);
    }

    [Fact]
    public async Task Https_reports_the_certificate_and_an_invalid_one_fails_unless_verification_is_off()
    {
        var valid = await runner.RunAsync(Get(Https("/ok")));
        var untrusting = TestProbes.Runner();
        var untrusted = await untrusting.RunAsync(Get(Https("/ok")));
        var unverified = await untrusting.RunAsync(Get(Https("/ok"), new HttpProbeOptions { VerifyTls = false }));

        Assert.True(valid.Success, valid.Message);
        Assert.True(valid.Certificate!.Valid, valid.Certificate.Problem);
        Assert.NotNull(valid.Timings.Tls);
        Assert.StartsWith("Tls", valid.TlsProtocol, StringComparison.Ordinal);
        Assert.Equal(FailureReason.Tls, untrusted.Reason);
        Assert.Contains("not valid", untrusted.Message, StringComparison.Ordinal);
        Assert.True(unverified.Success, unverified.Message);
        Assert.False(unverified.Certificate!.Valid);
        Assert.Contains(CertificateProblem.Untrusted, unverified.Certificate.Problems);
    }

    [Fact]
    public async Task A_slow_page_hits_the_timeout_and_a_closed_port_is_refused()
    {
        var slow = await runner.RunAsync(Get(server.HttpBase + "/slow?ms=5000") with { Timeout = TimeSpan.FromSeconds(1) });
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var refused = await runner.RunAsync(Get($"http://127.0.0.1:{port}/"));

        Assert.Equal(FailureReason.Timeout, slow.Reason);
        Assert.Equal(FailureReason.Refused, refused.Reason);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_a_dns_failure()
    {
        var result = await runner.RunAsync(Get("http://watchtower-test.invalid/"));

        Assert.Equal(FailureReason.Dns, result.Reason);
    }

    [Theory]
    [InlineData("200-399", true)]
    [InlineData("200, 204,301-308", true)]
    [InlineData("", false)]
    [InlineData("99", false)]
    [InlineData("399-200", false)]
    [InlineData("2xx", false)]
    public void Status_lists_parse(string text, bool valid) => Assert.Equal(valid, StatusRanges.TryParse(text, out _, out _));
}
