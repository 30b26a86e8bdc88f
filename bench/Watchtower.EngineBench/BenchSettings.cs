using System.Globalization;

namespace Watchtower.EngineBench;

/// <summary>Everything the command line can set (<c>key=value</c> words; see docs/benchmarks.md).</summary>
public sealed class BenchSettings
{
    public static readonly string[] AllScenarios = ["steady", "pg-restart", "kill9", "no-worker", "two-workers", "outage"];

    public IReadOnlyList<string> Scenarios { get; private init; } = AllScenarios;
    public int Checks { get; private init; } = 20_000;
    public TimeSpan Interval { get; private init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Timeout { get; private init; } = TimeSpan.FromSeconds(10);
    public double Refusing { get; private init; } = 0.05;
    public double Timeouts { get; private init; } = 0.10;
    public int? Hosts { get; private init; }
    public TimeSpan Duration { get; private init; } = TimeSpan.FromMinutes(2);
    public TimeSpan? WarmupOverride { get; private init; }
    public TimeSpan Pause { get; private init; } = TimeSpan.FromMinutes(3);
    public TimeSpan AfterKill { get; private init; } = TimeSpan.FromMinutes(6);
    public TimeSpan AfterReturn { get; private init; } = TimeSpan.FromMinutes(2);
    public int Workers { get; private init; } = 1;
    public bool? WebInSteady { get; private init; }
    public string Postgres { get; private init; } = "private";
    public string? PostgresDataDirectory { get; private init; }
    public bool Fsync { get; private init; } = true;
    public IReadOnlyDictionary<string, string> PostgresSettings { get; private init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> AppConfig { get; private init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> WorkerConfig { get; private init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> WebConfig { get; private init; } = new Dictionary<string, string>();
    public TimeSpan PublicPoll { get; private init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan DashboardPoll { get; private init; } = TimeSpan.FromSeconds(1);
    public int PageChecks { get; private init; } = 20;
    public TimeSpan LockstepWindow { get; private init; } = TimeSpan.FromSeconds(2);
    public double LockstepFactor { get; private init; } = 2.0;
    public TimeSpan Early { get; private init; } = TimeSpan.FromSeconds(1);
    public TimeSpan Grace { get; private init; } = TimeSpan.FromSeconds(5);
    public TimeSpan ResumeLimit { get; private init; } = TimeSpan.FromSeconds(10);
    public string? OutDirectory { get; private init; }
    public bool KeepDatabases { get; private init; }
    public string? Repository { get; private init; }
    public string Configuration { get; private init; } = "Release";
    public string? ResultsTable { get; private init; }
    public string? ResultsCheckColumn { get; private init; }
    public string? ResultsTimeColumn { get; private init; }
    public string HangfireSchema { get; private init; } = "hangfire";

    /// <summary>Warm-up before the measured window: one interval unless set.</summary>
    public TimeSpan Warmup => WarmupOverride ?? Interval;

    public int RefusingChecks => (int)Math.Round(Checks * Refusing);
    public int TimeoutChecks => (int)Math.Round(Checks * Timeouts);
    public int AnsweringChecks => Checks - RefusingChecks - TimeoutChecks;

    /// <summary>Results per second the schedule asks for.</summary>
    public double Demand => Checks / Interval.TotalSeconds;

    /// <summary>Scenario names the issue uses for the same scenarios.</summary>
    private static readonly Dictionary<string, string> ScenarioAliases = new(StringComparer.Ordinal)
    {
        ["worker-kill"] = "kill9",
    };

    /// <summary>
    /// Turns "--checks 2000", "--checks=2000" and "--minutes 5" into the key=value words; "--minutes N"
    /// is "duration=Nm" and "--scenario" is "scenarios".
    /// </summary>
    public static IEnumerable<string> Normalize(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                yield return arg;
                continue;
            }

            var word = arg[2..];
            string key, value;
            if (word.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                (key, value) = (word[..eq], word[(eq + 1)..]);
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                (key, value) = (word, args[++i]);
            }
            else
            {
                (key, value) = (word, "on");
            }

            yield return key switch
            {
                "minutes" => $"duration={value}m",
                "scenario" => $"scenarios={value}",
                _ => $"{key}={value}",
            };
        }
    }

    public static BenchSettings Parse(IEnumerable<string> args)
    {
        args = Normalize(args.ToList());
        var app = new Dictionary<string, string>();
        var worker = new Dictionary<string, string>();
        var web = new Dictionary<string, string>();
        var pg = new Dictionary<string, string>();
        var plain = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"Arguments are key=value words or --key value; “{arg}” is neither. See docs/benchmarks.md.");
            }

            var (key, value) = (arg[..eq], arg[(eq + 1)..]);
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var target = colon > 0 ? key[..colon] switch
            {
                "set" => app,
                "worker" => worker,
                "web" => web,
                "pg-set" => pg,
                _ => null,
            } : null;
            if (target is not null)
            {
                target[key[(colon + 1)..]] = value;
            }
            else
            {
                plain[key] = value;
            }
        }

        string? Take(string key) => plain.Remove(key, out var v) ? v : null;
        var defaults = new BenchSettings();
        var settings = new BenchSettings
        {
            Scenarios = Take("scenarios") is { } s ? ParseScenarios(s) : defaults.Scenarios,
            Checks = Take("checks") is { } c ? ParseCount(c) : defaults.Checks,
            Interval = Take("interval") is { } i ? ParseDuration(i) : defaults.Interval,
            Timeout = Take("timeout") is { } t ? ParseDuration(t) : defaults.Timeout,
            Refusing = Take("refusing") is { } r ? ParseFraction(r) : defaults.Refusing,
            Timeouts = Take("timeouts") is { } to ? ParseFraction(to) : defaults.Timeouts,
            Hosts = Take("hosts") is { } h ? ParseCount(h) : null,
            Duration = Take("duration") is { } d ? ParseDuration(d) : defaults.Duration,
            WarmupOverride = Take("warmup") is { } w ? ParseDuration(w) : null,
            Pause = Take("pause") is { } p ? ParseDuration(p) : defaults.Pause,
            AfterKill = Take("after-kill") is { } ak ? ParseDuration(ak) : defaults.AfterKill,
            AfterReturn = Take("after") is { } ar ? ParseDuration(ar) : defaults.AfterReturn,
            Workers = Take("workers") is { } wk ? ParseCount(wk) : defaults.Workers,
            WebInSteady = Take("web") is { } wb ? ParseBool(wb) : null,
            Postgres = Take("pg") ?? defaults.Postgres,
            PostgresDataDirectory = Take("pg-datadir"),
            Fsync = Take("fsync") is { } f ? ParseBool(f) : defaults.Fsync,
            PostgresSettings = pg,
            AppConfig = app,
            WorkerConfig = worker,
            WebConfig = web,
            PublicPoll = Take("public-poll") is { } pp ? ParseDuration(pp) : defaults.PublicPoll,
            DashboardPoll = Take("dashboard-poll") is { } dp ? ParseDuration(dp) : defaults.DashboardPoll,
            PageChecks = Take("page-checks") is { } pc ? ParseCount(pc) : defaults.PageChecks,
            LockstepWindow = Take("lockstep-window") is { } lw ? ParseDuration(lw) : defaults.LockstepWindow,
            LockstepFactor = Take("lockstep-factor") is { } lf ? double.Parse(lf, CultureInfo.InvariantCulture) : defaults.LockstepFactor,
            Early = Take("early") is { } e ? ParseDuration(e) : defaults.Early,
            Grace = Take("grace") is { } g ? ParseDuration(g) : defaults.Grace,
            ResumeLimit = Take("resume-limit") is { } rl ? ParseDuration(rl) : defaults.ResumeLimit,
            OutDirectory = Take("out"),
            KeepDatabases = Take("keep-db") is { } k && ParseBool(k),
            Repository = Take("repo"),
            Configuration = Take("configuration") ?? defaults.Configuration,
            ResultsTable = Take("results-table"),
            ResultsCheckColumn = Take("results-check-column"),
            ResultsTimeColumn = Take("results-time-column"),
            HangfireSchema = Take("hangfire-schema") ?? defaults.HangfireSchema,
        };
        if (plain.Count > 0)
        {
            throw new ArgumentException($"Unknown setting(s): {string.Join(", ", plain.Keys)}. See docs/benchmarks.md.");
        }

        if (settings.Refusing + settings.Timeouts > 1 || settings.Refusing < 0 || settings.Timeouts < 0)
        {
            throw new ArgumentException("refusing + timeouts must be between 0 and 100 %.");
        }

        if (settings.Checks < 1 || settings.Workers < 1 || settings.Interval <= TimeSpan.Zero || settings.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("checks, workers, interval and timeout must be positive.");
        }

        return settings;
    }

    private static string[] ParseScenarios(string value)
    {
        if (value == "all")
        {
            return AllScenarios;
        }

        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => ScenarioAliases.GetValueOrDefault(n, n)).Distinct().ToArray();
        var unknown = names.Except(AllScenarios).ToList();
        return unknown.Count == 0 ? names : throw new ArgumentException($"Unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllScenarios)} (worker-kill = kill9), or all.");
    }

    private static int ParseCount(string value) => int.Parse(value.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static bool ParseBool(string value) => value.ToLowerInvariant() switch
    {
        "1" or "on" or "true" or "yes" => true,
        "0" or "off" or "false" or "no" => false,
        _ => throw new ArgumentException($"“{value}” is not on/off."),
    };

    /// <summary>"10%" or "0.1".</summary>
    public static double ParseFraction(string value) => value.EndsWith('%')
        ? double.Parse(value[..^1], CultureInfo.InvariantCulture) / 100
        : double.Parse(value, CultureInfo.InvariantCulture);

    /// <summary>"500ms", "30s", "10m", "1h"; a bare number is seconds.</summary>
    public static TimeSpan ParseDuration(string value)
    {
        double Number(int suffix) => double.Parse(value[..^suffix], CultureInfo.InvariantCulture);
        return value switch
        {
            _ when value.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(Number(2)),
            _ when value.EndsWith('s') => TimeSpan.FromSeconds(Number(1)),
            _ when value.EndsWith('m') => TimeSpan.FromMinutes(Number(1)),
            _ when value.EndsWith('h') => TimeSpan.FromHours(Number(1)),
            _ => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)),
        };
    }
}
