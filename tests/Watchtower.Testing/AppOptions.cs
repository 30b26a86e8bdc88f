namespace Watchtower.Testing;

/// <summary>How a test wants the app: which store, and whether this process runs probes.</summary>
public sealed record AppOptions
{
    public TestStore Store { get; init; } = TestStore.Sqlite;
    public bool RunEngine { get; init; }
    public int AuthPostsPerMinute { get; init; } = 10_000;

    /// <summary>The ASP.NET Core environment; Production needs Watchtower:PublicBaseUrl in <see cref="Settings"/>.</summary>
    public string Environment { get; init; } = "Development";
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}

public enum TestStore
{
    Sqlite,
    Postgres,
}
