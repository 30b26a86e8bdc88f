using System.ComponentModel.DataAnnotations;

namespace Watchtower.Monitoring.Engine;

/// <summary>Bound from <c>Watchtower:Engine</c> and validated when the host starts: a bad value stops it with the setting's name.</summary>
public sealed class EngineOptions : IValidatableObject
{
    public const string SectionName = "Watchtower:Engine";

    /// <summary>Run a Hangfire server (and so probes) in this process. The Web host turns it off when separate workers run.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Run the dispatcher that claims due checks. Defaults to <see cref="RunServer"/>.</summary>
    public bool? RunDispatcher { get; set; }

    /// <summary>Probe locations this process serves; each is a Hangfire queue.</summary>
    public string[] Queues { get; set; } = ["default"];

    /// <summary>Hangfire worker threads; each runs one batch at a time.</summary>
    [Range(1, 256, ErrorMessage = SectionName + ":WorkerCount must be from {1} to {2}.")]
    public int WorkerCount { get; set; } = 4;

    /// <summary>How often the dispatcher looks for due checks.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00", ErrorMessage = SectionName + ":DispatchInterval must be from 50 ms to 10 minutes (hh:mm:ss).")]
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks per Hangfire job (one lease): amortises Hangfire's per-job storage cost.</summary>
    [Range(1, 5000, ErrorMessage = SectionName + ":BatchSize must be from {1} to {2}.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>Most checks claimed in one claim statement.</summary>
    [Range(1, 100_000, ErrorMessage = SectionName + ":MaxClaimPerPass must be from {1} to {2}.")]
    public int MaxClaimPerPass { get; set; } = 2000;

    /// <summary>
    /// Most checks claimed and not yet finished per probe location, across its workers: the
    /// bound on queued work when workers fall behind or go away.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = SectionName + ":MaxInFlightPerLocation must be from {1} to {2}.")]
    public int MaxInFlightPerLocation { get; set; } = 10_000;

    /// <summary>
    /// Probes one worker process runs at once. Probes are asynchronous: each holds a socket, not a
    /// thread, so thousands fit (the process's open-file limit is the ceiling).
    /// </summary>
    [Range(1, 100_000, ErrorMessage = SectionName + ":MaxProbesInFlight must be from {1} to {2}.")]
    public int MaxProbesInFlight { get; set; } = 4000;

    /// <summary>Probes one worker runs at once against the same host, so that no target is hammered.</summary>
    [Range(1, 100_000, ErrorMessage = SectionName + ":ProbesPerHost must be from {1} to {2}.")]
    public int ProbesPerHost { get; set; } = 32;

    /// <summary>
    /// A lease lasts the check's timeout plus this: time for the job to be picked up and the result
    /// written. A lease that ends without a result makes the check due again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = SectionName + ":LeaseMargin must be from 1 second to 10 minutes (hh:mm:ss).")]
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A check found due later than this after its time (no worker, an outage) is not run at once but
    /// at its own next slot, so that a crowd of overdue checks never runs in one burst.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = SectionName + ":CatchUpAfter must be from 1 second to 1 hour (hh:mm:ss).")]
    public TimeSpan CatchUpAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The shortest interval an owner may choose.</summary>
    [Range(1, 86_400, ErrorMessage = SectionName + ":MinimumIntervalSeconds must be from {1} to {2}.")]
    public int MinimumIntervalSeconds { get; set; } = 20;

    public bool DispatcherEnabled => RunDispatcher ?? RunServer;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Queues is not { Length: > 0 })
        {
            yield return new ValidationResult($"{SectionName}:Queues must name at least one probe location.", [nameof(Queues)]);
            yield break;
        }

        foreach (var queue in Queues)
        {
            if (!ProbeQueues.IsValid(queue))
            {
                yield return new ValidationResult(
                    $"{SectionName}:Queues has “{queue}”; a probe location is 1 to 40 lowercase letters, digits, '_' or '-'.", [nameof(Queues)]);
            }
        }
    }
}
