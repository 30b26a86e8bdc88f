using System.Diagnostics;
using Watchtower.Probes.Http;
using Watchtower.Probes.Tests.Tcp;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Http;

/// <summary>
/// Probes do not hand the caller's trace to the sites they check: with an activity current and
/// listened to (as in a host with OpenTelemetry), the HTTP and SEO probes send no W3C or legacy
/// trace headers.
/// </summary>
public sealed class TracePropagationTests
{
    private static readonly string[] TraceHeaders = ["traceparent", "tracestate", "Request-Id", "Correlation-Context", "baggage"];

    [Fact]
    public async Task Http_and_seo_probes_send_no_trace_headers_while_an_activity_is_current()
    {
        using var source = new ActivitySource("Watchtower.Tests.Tracing");
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var site = await TestWebServer.StartAsync();
        var runner = TestProbes.Runner();
        var url = site.HttpBase + "/ok";

        using (var activity = source.StartActivity("check run"))
        {
            Assert.NotNull(activity);
            Assert.Same(activity, Activity.Current);

            // What an ordinary HttpClient sends under the same activity: the receiver does see trace headers.
            using (var plain = new HttpClient())
            {
                using var answer = await plain.GetAsync(url + "?control", TestContext.Current.CancellationToken);
            }

            var http = await runner.RunAsync(new ProbeRequest(new HttpSettings { Url = url }, TimeSpan.FromSeconds(10)), TestContext.Current.CancellationToken);
            var seo = await runner.RunAsync(new ProbeRequest(new Watchtower.Probes.Seo.SeoSettings { Url = url }, TimeSpan.FromSeconds(10)), TestContext.Current.CancellationToken);
            Assert.True(http.Success, http.Message);
            Assert.NotEqual(FailureReason.Error, seo.Reason);
        }

        var received = site.Received;
        var control = Assert.Single(received, r => r.PathAndQuery.EndsWith("?control", StringComparison.Ordinal));
        Assert.True(control.Headers.ContainsKey("traceparent"), "an ordinary HttpClient propagates the activity");
        var probes = received.Where(r => r != control).ToList();
        Assert.True(probes.Count >= 3, $"the HTTP probe's request and the SEO probe's page, robots.txt and sitemap requests arrive ({probes.Count})");
        Assert.All(probes, r => Assert.DoesNotContain(r.Headers.Keys, name => TraceHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)));
    }
}
