using System.Runtime.InteropServices;

namespace Watchtower.EngineBench;

internal static partial class NativeMethods
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>kill(2): Process.Kill only sends SIGKILL; a graceful stop needs SIGTERM.</summary>
    [LibraryImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int kill(int pid, int signal);

    private const int ScClkTck = 2;

    [LibraryImport("libc")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial long sysconf(int name);

    /// <summary>Clock ticks per second, the unit of the CPU times in /proc/&lt;pid&gt;/stat.</summary>
    public static long ClockTicks { get; } = Math.Max(1, sysconf(ScClkTck));
}
