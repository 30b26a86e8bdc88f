using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Watchtower.Data;

public static class DatabaseMigrator
{
    /// <summary>
    /// Applies pending migrations unless the operator turned that off. EF Core takes a
    /// database-wide migration lock, so several hosts starting together is safe.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = services.GetRequiredService<DatabaseSettings>();
        await using var scope = services.CreateAsyncScope();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));
        var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets the pages read while probe batches write.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        if (!settings.MigrateOnStartup)
        {
            logger.LogInformation("Skipping database migrations (Watchtower:Database:MigrateOnStartup is false)");
            return;
        }

        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Database is up to date ({Provider})", settings.Provider);
    }
}
