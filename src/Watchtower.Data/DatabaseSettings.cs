using Microsoft.Extensions.Configuration;

namespace Watchtower.Data;

/// <summary>
/// Which store to use, read once from configuration: PostgreSQL when
/// <c>ConnectionStrings:Watchtower</c> is set, otherwise an SQLite file in the data folder.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStartup)
{
    public const string ConnectionStringName = "Watchtower";

    public static DatabaseSettings FromConfiguration(IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var migrate = configuration.GetValue("Watchtower:Database:MigrateOnStartup", true);
        var postgres = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            return new DatabaseSettings(DatabaseProvider.Postgres, postgres, migrate);
        }

        var dataDirectory = ResolveDataDirectory(configuration, contentRootPath);
        Directory.CreateDirectory(dataDirectory);
        var file = Path.Combine(dataDirectory, "watchtower.db");
        return new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={file}", migrate);
    }

    /// <summary><c>Watchtower:DataDirectory</c> (relative to the content root), else <c>App_Data</c> under it.</summary>
    public static string ResolveDataDirectory(IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var dataDirectory = configuration["Watchtower:DataDirectory"];
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            return Path.Combine(contentRootPath, "App_Data");
        }

        return Path.IsPathRooted(dataDirectory) ? dataDirectory : Path.Combine(contentRootPath, dataDirectory);
    }
}
