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

    private static ProbeRequest Get(string url, HttpSettings? options = null) =>
        new((options ?? new HttpSettings()) with { Url = url }, TimeSpan.FromSeconds(10));

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
        var result = await runner.RunAsync(Get($"{server.HttpBase}/status/{status}", new HttpSettings { ExpectedStatus = expected }));

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
        var notFollowed = await runner.RunAsync(Get(server.HttpBase + "/redirect/3", new HttpSettings { FollowRedirects = false, ExpectedStatus = "200" }));
        var loop = await runner.RunAsync(Get(server.HttpBase + "/loop", new HttpSettings { MaxRedirects = 4 }));

        Assert.True(followed.Success, followed.Message);
        Assert.Equal(server.HttpBase + "/ok", followed.Http!.FinalUrl);
        Assert.Equal(["/redirect/3", "/redirect/2", "/redirect/1"], followed.Http.Redirects.Select(h => new Uri(h.Url).AbsolutePath));
        Assert.All(followed.Http.Redirects, h => Assert.Equal(302, h.Status));
        Assert.Equal(FailureReason.Status, notFollowed.Reason);
        Assert.Equal(302, notFollowed.Http!.StatusCode);
        Assert.Equal(FailureReason.Status, loop.Reason);
        Assert.StartsWith("Stopped after 4 redirects; the next one went to /loop", loop.Message, StringComparison.Ordinal);
        Assert.Equal(5, loop.Http!.Redirects.Count);
    }

    [Theory]
    [InlineData("ftp://files.example/pub/", "ftp")]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("javascript:alert(1)", "javascript")]
    public async Task A_redirect_to_another_scheme_is_a_clear_failure(string location, string scheme)
    {
        var result = await runner.RunAsync(Get($"{server.HttpBase}/to?url={Uri.EscapeDataString(location)}"));

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Status, result.Reason);
        Assert.Equal($"Redirected to an address with the {scheme}: scheme ({location}); only http and https are followed.", result.Message);
        Assert.Equal(302, result.Http!.StatusCode);
        Assert.Single(result.Http.Redirects);
    }

    [Theory]
    [InlineData(301, "GET", "")]
    [InlineData(302, "GET", "")]
    [InlineData(303, "GET", "")]
    [InlineData(307, "POST", "{\"ping\":1}")]
    [InlineData(308, "POST", "{\"ping\":1}")]
    public async Task A_redirected_post_changes_method_like_a_browser(int status, string method, string body)
    {
        var result = await runner.RunAsync(Get($"{server.HttpBase}/redirect-with/{status}?to=/echo", new HttpSettings
        {
            Method = "POST", Body = "{\"ping\":1}", ContentType = "application/json",
        }));

        Assert.True(result.Success, result.Message);
        Assert.Equal([status], result.Http!.Redirects.Select(h => h.Status));
        var first = Assert.Single(server.Received, r => r.PathAndQuery.StartsWith("/redirect-with/", StringComparison.Ordinal));
        var next = Assert.Single(server.Received, r => r.PathAndQuery == "/echo");
        Assert.Equal("POST", first.Method);
        Assert.Equal(method, next.Method);
        Assert.Equal(body, next.Body);
        Assert.Equal(method == "POST" ? "application/json" : null, next.ContentType);
    }

    [Fact]
    public async Task Credentials_follow_a_redirect_on_the_same_site_but_not_to_another()
    {
        await using var other = await TestWebServer.StartAsync();
        var headers = new List<HttpHeader> { new("Authorization", "Bearer secret"), new("Cookie", "session=1"), new("X-Probe", "wt") };

        var same = await runner.RunAsync(Get($"{server.HttpBase}/to?url={Uri.EscapeDataString(server.HttpBase + "/echo")}", new HttpSettings { Headers = headers }));
        var elsewhere = await runner.RunAsync(Get($"{server.HttpBase}/to?url={Uri.EscapeDataString(other.HttpBase + "/echo")}", new HttpSettings { Headers = headers }));

        Assert.True(same.Success, same.Message);
        Assert.True(elsewhere.Success, elsewhere.Message);
        var sameHop = Assert.Single(server.Received, r => r.PathAndQuery == "/echo");
        Assert.Equal("Bearer secret", sameHop.Headers.GetValueOrDefault("Authorization"));
        Assert.Equal("session=1", sameHop.Headers.GetValueOrDefault("Cookie"));
        // 127.0.0.1 on another port is another origin: the owner's credentials stay home.
        var otherHop = Assert.Single(other.Received);
        Assert.False(otherHop.Headers.ContainsKey("Authorization"));
        Assert.False(otherHop.Headers.ContainsKey("Cookie"));
        Assert.Equal("wt", otherHop.Headers.GetValueOrDefault("X-Probe"));
    }

    [Fact]
    public async Task A_head_stays_a_head_after_a_303()
    {
        var result = await runner.RunAsync(Get($"{server.HttpBase}/redirect-with/303?to=/ok", new HttpSettings { Method = "HEAD" }));

        Assert.True(result.Success, result.Message);
        Assert.Equal(["HEAD", "HEAD"], server.Received.Select(r => r.Method));
    }

    [Fact]
    public async Task A_huge_body_is_read_up_to_2_mb_and_keywords_are_judged_on_that()
    {
        var big = await runner.RunAsync(Get(server.HttpBase + "/big?mb=10", new HttpSettings { MustContain = "begin-marker" }));
        var beyond = await runner.RunAsync(Get(server.HttpBase + "/big?mb=10", new HttpSettings { MustContain = "end-marker" }));
        // The body never ends: reading it all would run into the timeout.
        var endless = await runner.RunAsync(Get(server.HttpBase + "/big?mb=3&hang=true") with { Timeout = TimeSpan.FromSeconds(5) });

        Assert.True(big.Success, big.Message);
        Assert.Equal(2 * 1024 * 1024, big.Http!.BodyBytes);
        Assert.True(big.Http.BodyTruncated);
        Assert.Contains("(more than 2 MB; only the first 2 MB were read)", big.Message, StringComparison.Ordinal);
        Assert.Equal(FailureReason.Keyword, beyond.Reason);
        Assert.Equal("The page does not contain “end-marker” in its first 2 MB (the rest was not read).", beyond.Message);
        Assert.True(endless.Success, endless.Message);
        Assert.True(endless.Http!.BodyTruncated);
        Assert.InRange(endless.Timings.Total, TimeSpan.Zero, TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_small_body_is_not_truncated()
    {
        var result = await runner.RunAsync(Get(server.HttpBase + "/ok"));

        Assert.False(result.Http!.BodyTruncated);
        Assert.EndsWith($"({"hello watchtower, all is well".Length} bytes).", result.Message, StringComparison.Ordinal);
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
        var present = await runner.RunAsync(Get(server.HttpBase + "/ok", new HttpSettings { MustContain = "all is well" }));
        var missing = await runner.RunAsync(Get(server.HttpBase + "/ok", new HttpSettings { MustContain = "database OK" }));
        var forbidden = await runner.RunAsync(Get(server.HttpBase + "/ok", new HttpSettings { MustNotContain = "hello" }));
        var regex = await runner.RunAsync(Get(server.HttpBase + "/ok", new HttpSettings { MustContain = "^hello \\w+,", KeywordsAreRegex = true }));

        Assert.True(present.Success, present.Message);
        Assert.Equal(FailureReason.Keyword, missing.Reason);
        Assert.Equal("The page does not contain “database OK”.", missing.Message);
        Assert.Equal(FailureReason.Keyword, forbidden.Reason);
        Assert.True(regex.Success, regex.Message);
    }

    [Fact]
    public async Task Post_with_a_body_and_headers_and_head()
    {
        var post = await runner.RunAsync(Get(server.HttpBase + "/echo", new HttpSettings
        {
            Method = "POST", Body = "{\"ping\":1}", ContentType = "application/json",
            Headers = [new("X-Probe", "watchtower")], MustContain = "method=POST probe=watchtower type=application/json",
        }));
        var head = await runner.RunAsync(Get(server.HttpBase + "/ok", new HttpSettings { Method = "HEAD" }));

        Assert.True(post.Success, post.Message);
        var arrived = Assert.Single(server.Received, r => r.PathAndQuery == "/echo");
        Assert.Equal("POST", arrived.Method);
        Assert.Equal("{\"ping\":1}", arrived.Body);
        Assert.Equal("application/json", arrived.ContentType);
        Assert.Equal("10", arrived.Headers["Content-Length"]);
        Assert.Equal("watchtower", arrived.Headers["X-Probe"]);
        Assert.StartsWith("Watchtower/1.0", arrived.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.True(head.Success, head.Message);
        Assert.Equal(0, head.Http!.BodyBytes);
    }

    [Fact]
    public async Task Content_headers_go_with_the_body_and_forbidden_headers_are_ignored_and_named()
    {
        var result = await runner.RunAsync(Get(server.HttpBase + "/echo", new HttpSettings
        {
            Method = "POST", Body = "a,b\n1,2\n",
            Headers = [new("Content-Type", "text/csv"), new("Content-Language", "de"), new("Host", "evil.example"), new("Content-Length", "1"), new("User-Agent", "owner-agent/2")],
        }));

        Assert.True(result.Success, result.Message);
        Assert.EndsWith("Ignored request headers: Host (set by the probe), Content-Length (set by the probe).", result.Message, StringComparison.Ordinal);
        var arrived = Assert.Single(server.Received);
        Assert.Equal("text/csv", arrived.ContentType);
        Assert.Equal("de", arrived.Headers["Content-Language"]);
        Assert.Equal(new Uri(server.HttpBase).Authority, arrived.Headers["Host"]);
        Assert.Equal("8", arrived.Headers["Content-Length"]);
        Assert.Equal("a,b\n1,2\n", arrived.Body);
        Assert.Equal("owner-agent/2", arrived.Headers["User-Agent"]);
    }

    [Fact]
    public async Task A_content_type_that_is_not_a_media_type_fails_clearly_before_sending()
    {
        var result = await runner.RunAsync(Get(server.HttpBase + "/echo", new HttpSettings { Method = "POST", Body = "{}", ContentType = "json" }));

        Assert.Equal(FailureReason.Error, result.Reason);
        Assert.Equal("Content type “json” is not a valid media type.", result.Message);
        Assert.Empty(server.Received);
    }

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("text/plain; charset=utf-8", true)]
    [InlineData("application/vnd.api+json", true)]
    [InlineData("", true)]
    [InlineData(null, true)]
    [InlineData("json", false)]
    [InlineData("text/", false)]
    [InlineData("application json", false)]
    public void Content_types_are_validated_for_the_form(string? contentType, bool valid) =>
        Assert.Equal(valid, HttpSettings.IsValidContentType(contentType));

    [Theory]
    [InlineData("Host", true)]
    [InlineData("content-length", true)]
    [InlineData("Transfer-Encoding", true)]
    [InlineData("Connection", true)]
    [InlineData(":authority", true)]
    [InlineData("Content-Type", false)]
    [InlineData("Authorization", false)]
    [InlineData("X-Probe", false)]
    public void Forbidden_header_names_are_known_to_the_form(string name, bool forbidden) =>
        Assert.Equal(forbidden, HttpSettings.IsForbiddenHeader(name));

    [Fact]
    public async Task Https_reports_the_certificate_and_an_invalid_one_fails_unless_verification_is_off()
    {
        var valid = await runner.RunAsync(Get(Https("/ok")));
        var untrusting = TestProbes.Runner();
        var untrusted = await untrusting.RunAsync(Get(Https("/ok")));
        var unverified = await untrusting.RunAsync(Get(Https("/ok"), new HttpSettings { VerifyTls = false }));

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
