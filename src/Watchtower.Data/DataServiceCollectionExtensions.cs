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
            DatabaseProvider.Postgres => options.UseNpgsql(settings.ConnectionString,
                npgsql => npgsql.MigrationsAssembly("Watchtower.Data.Postgres")),
            _ => options.UseSqlite(settings.ConnectionString,
                sqlite => sqlite.MigrationsAssembly("Watchtower.Data.Sqlite")),
        };
    }
}
