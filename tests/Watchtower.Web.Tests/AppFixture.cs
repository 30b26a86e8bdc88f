using Watchtower.Testing;

namespace Watchtower.Web.Tests;

/// <summary>One app (and database) shared by the tests of a class; each test uses its own accounts.</summary>
public abstract class AppFixture(TestStore store) : IAsyncLifetime
{
    private WatchtowerApp? app;

    public WatchtowerApp App => app ?? throw new InvalidOperationException("PostgreSQL is not available: " + skipReason);

    private string? skipReason;

    public async ValueTask InitializeAsync()
    {
        try
        {
            app = await WatchtowerApp.CreateAsync(new AppOptions { Store = store }, TestContext.Current.CancellationToken);
            _ = app.Services;
        }
        catch (Exception ex) when (ex.GetType().Name.Contains("Skip", StringComparison.Ordinal))
        {
            // A skip raised while creating the fixture is re-raised in each test by Use().
            skipReason = ex.Message;
        }
    }

    /// <summary>The app, or the fixture's skip/failure re-raised inside the test.</summary>
    public async Task<WatchtowerApp> UseAsync()
    {
        if (app is null)
        {
            await TestPostgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        }

        return App;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteAppFixture() : AppFixture(TestStore.Sqlite);

public sealed class PostgresAppFixture() : AppFixture(TestStore.Postgres);
