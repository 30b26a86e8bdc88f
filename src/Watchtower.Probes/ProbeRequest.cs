namespace Watchtower.Probes;

/// <summary>What to probe: one kind's settings and the whole probe's budget. Carries no database identity.</summary>
/// <param name="Settings">The check's settings; their type picks the probe.</param>
/// <param name="Timeout">The whole probe's budget; the runner enforces it.</param>
public sealed record ProbeRequest(IKindSettings Settings, TimeSpan Timeout)
{
    public ProbeKind Kind => Settings.Kind;

    /// <summary>The settings as the kind's own record; a probe asks only for its own kind.</summary>
    public T SettingsAs<T>() where T : class, IKindSettings =>
        Settings as T ?? throw new InvalidOperationException($"A {Kind} request does not carry {typeof(T).Name}.");
}
