using Watchtower.Monitoring.History;

namespace Watchtower.Monitoring.Tests.History;

/// <summary>The p95 read from the fixed buckets, against the exact p95 of the same latencies.</summary>
public sealed class LatencyHistogramTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(40.0, 0.3)]
    [InlineData(120.0, 0.6)]
    [InlineData(900.0, 1.0)]
    public void P95_from_the_buckets_is_close_to_the_exact_p95(double median, double sigma)
    {
        var random = new Random(42);
        var worst = 0.0;
        for (var trial = 0; trial < 50; trial++)
        {
            // Log-normal latencies, the usual shape of response times; 60 to 3,600 runs (an hour or a day).
            var n = 60 + random.Next(3540);
            var samples = Enumerable.Range(0, n).Select(_ => (int)Math.Max(1, Math.Round(median * Math.Exp(sigma * Normal(random))))).ToArray();
            var buckets = new int[LatencyHistogram.Count];
            foreach (var s in samples)
            {
                buckets[LatencyHistogram.BucketOf(s)]++;
            }

            var sorted = samples.Order().ToArray();
            var exact = sorted[(int)Math.Ceiling(0.95 * n) - 1];
            var estimate = LatencyHistogram.Quantile(buckets, 0.95, sorted[0], sorted[^1])!.Value;
            worst = Math.Max(worst, Math.Abs(estimate - exact) / (double)exact);
        }

        output.WriteLine($"median {median} ms, sigma {sigma}: worst p95 error over 50 trials {worst:P1}");
        Assert.True(worst < 0.15, $"p95 off by {worst:P1}");
    }

    [Fact]
    public void Buckets_are_fixed_and_log_spaced_and_quantiles_stay_within_min_and_max()
    {
        Assert.Equal(24, LatencyHistogram.Count);
        Assert.Equal(0, LatencyHistogram.BucketOf(0));
        Assert.Equal(1, LatencyHistogram.BucketOf(2));
        Assert.Equal(23, LatencyHistogram.BucketOf(60_000));
        var buckets = LatencyHistogram.Add(LatencyHistogram.Add(null, 70), 70);
        Assert.Equal(70, LatencyHistogram.Quantile(buckets, 0.95, 70, 70));
        Assert.Null(LatencyHistogram.Quantile(new int[LatencyHistogram.Count], 0.95, null, null));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
