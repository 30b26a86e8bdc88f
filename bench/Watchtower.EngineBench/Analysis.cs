namespace Watchtower.EngineBench;

/// <summary>
/// The schedule arithmetic, on results read back from the database (check id + start time).
///
/// Every check has a phase φ (its first due time, set by the harness) and an interval I; its slots
/// are s_k = φ + k·I. A result that started at t serves slot k = floor((t − φ + early) / I): the
/// latest slot due at or before its start (a run up to <c>early</c> before its slot still counts for
/// it). Hence:
/// <list type="bullet">
/// <item>start lag = t − s_k of the first result of each slot (so it lies in [−early, I − early));</item>
/// <item>a missed run is a slot with no result; a slot is only judged once its run, started as late
/// as s_k + I, has had its timeout and a grace to be written (s_k + I + timeout + grace ≤ end);</item>
/// <item>duplicate results are the results beyond the first of a slot.</item>
/// </list>
/// A run that starts more than an interval late counts for the next slot: its own slot is missed.
/// So an engine that cannot keep up shows as missed runs and falling results/s, not as large lag.
/// </summary>
public sealed class Analysis
{
    private readonly Dictionary<int, double> phase;
    private readonly Dictionary<int, double[]> runs;
    private readonly double[] all;
    private readonly double interval;
    private readonly double early;

    public Analysis(IReadOnlyDictionary<int, DateTimeOffset> phases, IEnumerable<ResultRow> results, DateTimeOffset epoch, TimeSpan interval, TimeSpan early)
    {
        ArgumentNullException.ThrowIfNull(phases);
        Epoch = epoch;
        this.interval = interval.TotalSeconds;
        this.early = early.TotalSeconds;
        phase = phases.ToDictionary(p => p.Key, p => Seconds(p.Value));
        runs = results.Where(r => phase.ContainsKey(r.CheckId)).GroupBy(r => r.CheckId)
            .ToDictionary(g => g.Key, g => g.Select(r => Seconds(r.CheckedAt)).Order().ToArray());
        all = runs.Values.SelectMany(r => r).Order().ToArray();
    }

    public DateTimeOffset Epoch { get; }

    public int Checks => phase.Count;

    public double Seconds(DateTimeOffset at) => (at - Epoch).TotalSeconds;

    public DateTimeOffset At(double seconds) => Epoch.AddSeconds(seconds);

    public sealed record SlotReport(long Slots, long Missed, long Duplicates, double[] Lags, List<double> MissedDue, List<double> DuplicateStarts,
        List<(int Check, double Due, double[] Starts)> DuplicateExamples)
    {
        public double Lag(double quantile) => Lags.Length == 0 ? double.NaN : Lags[(int)Math.Min(Lags.Length - 1, Math.Ceiling(quantile * Lags.Length) - 1)];
    }

    /// <summary>Judges the slots due in [<paramref name="from"/>, <paramref name="until"/>].</summary>
    public SlotReport Slots(DateTimeOffset from, DateTimeOffset until)
    {
        var (a, b) = (Seconds(from), Seconds(until));
        long slots = 0, missed = 0, duplicates = 0;
        var lags = new List<double>();
        var missedDue = new List<double>();
        var duplicateStarts = new List<double>();
        var examples = new List<(int, double, double[])>();
        foreach (var (check, phi) in phase)
        {
            var kMin = (long)Math.Ceiling((a - phi) / interval);
            var kMax = (long)Math.Floor((b - phi) / interval);
            if (kMax < kMin)
            {
                continue;
            }

            var count = new int[kMax - kMin + 1];
            var first = new double[count.Length];
            foreach (var t in runs.GetValueOrDefault(check, []))
            {
                var k = (long)Math.Floor((t - phi + early) / interval);
                if (k < kMin || k > kMax)
                {
                    continue;
                }

                var i = k - kMin;
                if (count[i]++ == 0)
                {
                    first[i] = t - (phi + k * interval);
                }
                else
                {
                    duplicateStarts.Add(t);
                }
            }

            for (var i = 0; i < count.Length; i++)
            {
                slots++;
                if (count[i] == 0)
                {
                    missed++;
                    missedDue.Add(phi + (kMin + i) * interval);
                }
                else
                {
                    lags.Add(first[i]);
                    duplicates += count[i] - 1;
                    if (count[i] > 1 && examples.Count < 3)
                    {
                        var due = phi + (kMin + i) * interval;
                        examples.Add((check, due, runs[check].Where(t => Math.Floor((t - phi + early) / interval) == kMin + i).ToArray()));
                    }
                }
            }
        }

        var sorted = lags.ToArray();
        Array.Sort(sorted);
        return new SlotReport(slots, missed, duplicates, sorted, missedDue, duplicateStarts, examples);
    }

    /// <summary>Results that started in [from, to).</summary>
    public int Count(DateTimeOffset from, DateTimeOffset to)
    {
        var (a, b) = (Seconds(from), Seconds(to));
        return LowerBound(all, b) - LowerBound(all, a);
    }

    public double Rate(DateTimeOffset from, DateTimeOffset to) => to <= from ? double.NaN : Count(from, to) / (to - from).TotalSeconds;

    public sealed record Burst(int Peak, double Mean, DateTimeOffset PeakAt)
    {
        public double Ratio => Mean <= 0 ? double.NaN : Peak / Mean;
    }

    /// <summary>The most results that started within any <paramref name="window"/> (sliding) in [from, to), against the mean per window.</summary>
    public Burst Bursts(DateTimeOffset from, DateTimeOffset to, TimeSpan window)
    {
        var (a, b, w) = (Seconds(from), Seconds(to), window.TotalSeconds);
        var lo = LowerBound(all, a);
        var hi = LowerBound(all, b);
        int peak = 0, tail = lo;
        var peakAt = a;
        for (var head = lo; head < hi; head++)
        {
            while (all[head] - all[tail] >= w)
            {
                tail++;
            }

            if (head - tail + 1 > peak)
            {
                peak = head - tail + 1;
                peakAt = all[tail];
            }
        }

        return new Burst(peak, (hi - lo) * w / Math.Max(w, b - a), At(peakAt));
    }

    /// <summary>For every check, how long after <paramref name="from"/> its first run started (+∞ if none).</summary>
    public double[] FirstRunAfter(DateTimeOffset from)
    {
        var a = Seconds(from);
        return phase.Keys.Select(check =>
        {
            var times = runs.GetValueOrDefault(check, []);
            var i = LowerBound(times, a);
            return i < times.Length ? times[i] - a : double.PositiveInfinity;
        }).ToArray();
    }

    /// <summary>How many checks ran how many times in [from, to): run count → checks.</summary>
    public SortedDictionary<int, int> RunsPerCheck(DateTimeOffset from, DateTimeOffset to)
    {
        var (a, b) = (Seconds(from), Seconds(to));
        var histogram = new SortedDictionary<int, int>();
        foreach (var check in phase.Keys)
        {
            var times = runs.GetValueOrDefault(check, []);
            var n = LowerBound(times, b) - LowerBound(times, a);
            histogram[n] = histogram.GetValueOrDefault(n) + 1;
        }

        return histogram;
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
