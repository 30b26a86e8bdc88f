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

    /// <summary>PostgreSQL: this database (say, on the test's own <see cref="PrivatePostgres"/>) instead of a new one on the shared server.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Changes to the app's services after its own (an EF Core interceptor that counts or breaks commands, say).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; init; }
}

public enum TestStore
{
    Sqlite,
    Postgres,
}
