using System.Diagnostics;
using System.Globalization;

namespace Watchtower.EngineBench;

/// <summary>
/// Everything the harness starts (processes, a PostgreSQL cluster, folders) is written down here
/// and undone on exit — normal end, exception, Ctrl+C or SIGTERM. The list is also a file under
/// <see cref="StateDirectory"/>, so a run that was itself killed with SIGKILL is cleaned up by the
/// next run: processes whose start time still matches are killed, clusters stopped, folders removed.
/// </summary>
public static class ChildRegistry
{
    public static readonly string StateDirectory = Path.Combine(Path.GetTempPath(), "watchtower-enginebench");

    private static readonly Lock Gate = new();
    private static readonly List<Entry> Entries = [];
    private static string? stateFile;

    private sealed record Entry(string Kind, int Pid, long StartTicks, string Path, string Extra);

    public static void Start()
    {
        Directory.CreateDirectory(StateDirectory);
        ReapLeftovers();
        var me = ProcStat.Read(Environment.ProcessId);
        stateFile = Path.Combine(StateDirectory, $"{Environment.ProcessId}-{me?.StartTicks ?? 0}.children");
        Save();
    }

    public static void AddProcess(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var started = ProcStat.Read(process.Id)?.StartTicks ?? 0;
        lock (Gate)
        {
            Entries.Add(new Entry("proc", process.Id, started, "", ""));
            Save();
        }
    }

    public static void RemoveProcess(int pid)
    {
        lock (Gate)
        {
            Entries.RemoveAll(e => e.Kind == "proc" && e.Pid == pid);
            Save();
        }
    }

    /// <summary>A private cluster: stopped with pg_ctl (as <paramref name="pgCtlUser"/>) and its folder removed.</summary>
    public static void AddCluster(string root, string dataDirectory, string pgCtl)
    {
        lock (Gate)
        {
            Entries.Add(new Entry("pg", 0, 0, root, $"{dataDirectory}|{pgCtl}"));
            Save();
        }
    }

    public static void RemoveCluster(string root)
    {
        lock (Gate)
        {
            Entries.RemoveAll(e => e.Kind == "pg" && e.Path == root);
            Save();
        }
    }

    /// <summary>Kills every registered process, stops and removes every registered cluster.</summary>
    public static void UndoAll()
    {
        List<Entry> entries;
        lock (Gate)
        {
            entries = [.. Entries];
            Entries.Clear();
        }

        Undo(entries);
        if (stateFile is not null)
        {
            TryDelete(stateFile);
        }
    }

    private static void Undo(IEnumerable<Entry> entries)
    {
        foreach (var entry in entries.Where(e => e.Kind == "proc"))
        {
            if (ProcStat.Read(entry.Pid) is { } stat && stat.StartTicks == entry.StartTicks)
            {
                NativeMethods.kill(entry.Pid, NativeMethods.SigKill);
            }
        }

        foreach (var entry in entries.Where(e => e.Kind == "pg"))
        {
            var parts = entry.Extra.Split('|');
            StopCluster(parts[0], parts[1]);
            try
            {
                if (Directory.Exists(entry.Path))
                {
                    Directory.Delete(entry.Path, recursive: true);
                }
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"Could not remove {entry.Path}: {ex.Message}");
            }
        }
    }

    private static void StopCluster(string dataDirectory, string pgCtl)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return;
        }

        var info = new ProcessStartInfo("runuser") { WorkingDirectory = "/", RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-u", "postgres", "--", pgCtl, "-D", dataDirectory, "-m", "immediate", "-w", "-t", "20", "stop" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info);
        process?.WaitForExit(25_000);
    }

    private static void ReapLeftovers()
    {
        foreach (var file in Directory.EnumerateFiles(StateDirectory, "*.children"))
        {
            var name = Path.GetFileNameWithoutExtension(file).Split('-');
            if (name.Length == 2 && int.TryParse(name[0], CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(name[1], CultureInfo.InvariantCulture, out var started)
                && ProcStat.Read(pid) is { } owner && owner.StartTicks == started)
            {
                continue; // another run of the harness, still alive
            }

            var entries = File.ReadAllLines(file).Select(Parse).OfType<Entry>().ToList();
            if (entries.Count > 0)
            {
                Console.WriteLine($"Cleaning up after an earlier run that did not finish ({Path.GetFileName(file)}): {entries.Count} item(s).");
            }

            Undo(entries);
            TryDelete(file);
        }
    }

    private static Entry? Parse(string line)
    {
        var parts = line.Split('\t');
        return parts.Length == 5
            ? new Entry(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), parts[3], parts[4])
            : null;
    }

    private static void Save()
    {
        if (stateFile is null)
        {
            return;
        }

        File.WriteAllLines(stateFile, Entries.Select(e => string.Join('\t', e.Kind, e.Pid.ToString(CultureInfo.InvariantCulture),
            e.StartTicks.ToString(CultureInfo.InvariantCulture), e.Path, e.Extra)));
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
    }
}
