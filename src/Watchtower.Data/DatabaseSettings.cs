using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Watchtower.Data;

/// <summary>
/// Which store to use, read once from configuration: PostgreSQL when
/// <c>ConnectionStrings:Watchtower</c> is set, otherwise an SQLite file in the data folder.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStartup)
{
    public const string ConnectionStringName = "Watchtower";

    /// <summary>
    /// PostgreSQL only: how often EF Core retries an operation that failed with a transient error
    /// (a restart killed the pooled connection, the server is starting up). With the default delays
    /// a request gives up after about three seconds of waiting, so a page answers "database away"
    /// quickly instead of hanging; a restart that takes less than that is not seen at all.
    /// </summary>
    public int MaxRetryCount { get; init; } = 3;

    /// <summary>PostgreSQL only: the longest wait between two retries (EF Core backs off 0 s, 1 s, 3 s, … up to this).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public static DatabaseSettings FromConfiguration(IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var migrate = configuration.GetValue("Watchtower:Database:MigrateOnStartup", true);
        var postgres = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            var retries = configuration.GetValue("Watchtower:Database:MaxRetryCount", 3);
            var delay = configuration.GetValue("Watchtower:Database:MaxRetryDelaySeconds", 2.0);
            if (retries is < 0 or > 20)
            {
                throw new InvalidOperationException("Watchtower:Database:MaxRetryCount must be from 0 to 20.");
            }

            if (delay is < 0 or > 60 || double.IsNaN(delay))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Watchtower:Database:MaxRetryDelaySeconds must be from 0 to 60 (it was {delay})."));
            }

            return new DatabaseSettings(DatabaseProvider.Postgres, postgres, migrate)
            {
                MaxRetryCount = retries,
                MaxRetryDelay = TimeSpan.FromSeconds(delay),
            };
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
