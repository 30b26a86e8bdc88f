using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Watchtower.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>Registers <see cref="WatchtowerDbContext"/> on the configured provider, with that provider's migrations assembly.</summary>
    public static IServiceCollection AddWatchtowerData(this IServiceCollection services, DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddDbContext<WatchtowerDbContext>(options => Configure(options, settings));
        return services;
    }

    public static void Configure(DbContextOptionsBuilder options, DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        _ = settings.Provider switch
        {
            // Retries make a PostgreSQL restart invisible to most requests: a pooled connection the restart
            // killed fails once (StaleConnections then clears the pool), and the retry opens a fresh one. The
            // price: a transaction the code begins itself must run inside the strategy (DatabaseTransactions).
            DatabaseProvider.Postgres => options.UseNpgsql(settings.ConnectionString, npgsql => npgsql
                    .MigrationsAssembly("Watchtower.Data.Postgres")
                    .EnableRetryOnFailure(settings.MaxRetryCount, settings.MaxRetryDelay, errorCodesToAdd: null))
                .AddInterceptors(StaleConnections.Instance),
            _ => options.UseSqlite(settings.ConnectionString,
                sqlite => sqlite.MigrationsAssembly("Watchtower.Data.Sqlite")),
        };
    }
}
