using System.Globalization;

namespace Watchtower.EngineBench;

/// <summary>One reading of /proc/&lt;pid&gt;/stat and status: CPU in milliseconds, memory in bytes.</summary>
public readonly record struct ProcStat(int Pid, int ParentPid, long StartTicks, double CpuMs, double ReapedChildrenCpuMs, long RssBytes, long PeakRssBytes)
{
    /// <summary>Null when the process is gone (or was never there).</summary>
    public static ProcStat? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture); // number as in proc(5)
            var tick = 1000.0 / NativeMethods.ClockTicks;
            long rss = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line);
                }
            }

            return new ProcStat(pid, (int)Field(4), Field(22), (Field(14) + Field(15)) * tick, (Field(16) + Field(17)) * tick, rss, peak);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    /// <summary>The processes whose parent is <paramref name="parent"/>.</summary>
    public static IEnumerable<ProcStat> Children(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } stat && stat.ParentPid == parent)
            {
                yield return stat;
            }
        }
    }

    /// <summary>
    /// CPU of a PostgreSQL cluster so far: the postmaster, its live children, and the children it has
    /// reaped (cutime+cstime). The difference of two readings is exact for backends that started or
    /// ended in between, because an ended backend's whole time moves into the postmaster's cutime.
    /// <paramref name="exclude"/> are backends not to count (the harness's own sampling connection).
    /// </summary>
    public static double ClusterCpuMs(int postmaster, IReadOnlyCollection<int> exclude)
    {
        if (Read(postmaster) is not { } main)
        {
            return double.NaN;
        }

        return main.CpuMs + main.ReapedChildrenCpuMs + Children(postmaster).Where(c => !exclude.Contains(c.Pid)).Sum(c => c.CpuMs);
    }
}
