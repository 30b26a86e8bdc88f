namespace Watchtower.Probes;

/// <summary>Durations of each phase that ran; null when a phase did not run.</summary>
public sealed record ProbeTimings
{
    public TimeSpan? Dns { get; init; }
    public TimeSpan? Connect { get; init; }
    public TimeSpan? Tls { get; init; }
    public TimeSpan? FirstByte { get; init; }
    public TimeSpan Total { get; init; }
}
