namespace Watchtower.Monitoring.Engine;

/// <summary>Bound from <c>Watchtower:Engine</c>.</summary>
public sealed class EngineOptions
{
    public const string SectionName = "Watchtower:Engine";

    /// <summary>Run a Hangfire server (and so probes) in this process. The Web host turns it off when separate workers run.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Run the dispatcher that claims due checks. Defaults to <see cref="RunServer"/>.</summary>
    public bool? RunDispatcher { get; set; }

    /// <summary>Probe locations this process serves; each is a Hangfire queue.</summary>
    public string[] Queues { get; set; } = ["default"];

    /// <summary>Hangfire worker threads; each runs one batch at a time.</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>How often the dispatcher looks for due checks.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks per Hangfire job; amortises Hangfire's per-job storage cost.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Most checks claimed in one dispatcher pass.</summary>
    public int MaxClaimPerPass { get; set; } = 2000;

    /// <summary>Probes run at once within one batch.</summary>
    public int ProbeConcurrency { get; set; } = 25;

    /// <summary>The shortest interval an owner may choose.</summary>
    public int MinimumIntervalSeconds { get; set; } = 20;

    public bool DispatcherEnabled => RunDispatcher ?? RunServer;
}
