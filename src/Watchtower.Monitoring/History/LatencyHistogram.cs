namespace Watchtower.Monitoring.History;

/// <summary>
/// A fixed histogram of latencies: <see cref="Count"/> buckets whose bounds grow by half each step
/// (2, 3, 4.5 … about 15 s ms, then one open bucket), the same for every row, so rows add up bucket
/// by bucket into any period. The p95 read from it lies in the same bucket as the true p95: at most
/// a factor 1.5 off in the worst case, and interpolating inside the bucket (log-linear, clamped to
/// the period's min and max) usually brings it within a few per cent (measured in the tests).
/// </summary>
public static class LatencyHistogram
{
    public const int Count = 24;

    /// <summary>Upper bounds (exclusive, ms) of buckets 0 … Count − 2; the last bucket is open.</summary>
    public static readonly IReadOnlyList<double> UpperBounds = [.. Enumerable.Range(0, Count - 1).Select(i => 2 * Math.Pow(1.5, i))];

    public static int BucketOf(int latencyMs)
    {
        for (var i = 0; i < UpperBounds.Count; i++)
        {
            if (latencyMs < UpperBounds[i])
            {
                return i;
            }
        }

        return Count - 1;
    }

    /// <summary>The buckets with one more latency (a new array: EF sees the change).</summary>
    public static int[] Add(int[]? buckets, int latencyMs)
    {
        var next = new int[Count];
        if (buckets is { Length: Count })
        {
            buckets.CopyTo(next, 0);
        }

        next[BucketOf(latencyMs)]++;
        return next;
    }

    /// <summary>Adds <paramref name="buckets"/> into <paramref name="into"/> (of length <see cref="Count"/>).</summary>
    public static void Merge(int[] into, int[]? buckets)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (buckets is not { Length: Count })
        {
            return;
        }

        for (var i = 0; i < Count; i++)
        {
            into[i] += buckets[i];
        }
    }

    /// <summary>The <paramref name="quantile"/> (0.95 for p95) estimated from the buckets, clamped to [min, max]; null with no latencies.</summary>
    public static int? Quantile(int[] buckets, double quantile, int? min, int? max)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        long total = 0;
        foreach (var n in buckets)
        {
            total += n;
        }

        if (total == 0)
        {
            return null;
        }

        // The rank of the sample that is the quantile (nearest-rank definition).
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        if (rank >= total && max is not null)
        {
            return max; // the top sample (few samples: p95 of 5 runs is the slowest)
        }
        long before = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            if (buckets[i] == 0 || before + buckets[i] < rank)
            {
                before += buckets[i];
                continue;
            }

            var low = i == 0 ? 0 : UpperBounds[i - 1];
            var high = i < UpperBounds.Count ? UpperBounds[i] : Math.Max(low * 1.5, max ?? low * 1.5);
            if (min is { } mn && mn > low)
            {
                low = mn;
            }

            if (max is { } mx && mx < high)
            {
                high = mx + 1;
            }

            // Where inside the bucket the rank falls, assuming latencies spread evenly on a log scale.
            var fraction = (rank - before - 0.5) / buckets[i];
            var value = low <= 0 ? high * fraction : low * Math.Pow(high / low, fraction);
            var result = (int)Math.Round(value);
            if (min is { } lo && result < lo)
            {
                result = lo;
            }

            if (max is { } hi && result > hi)
            {
                result = hi;
            }

            return result;
        }

        return max;
    }
}
