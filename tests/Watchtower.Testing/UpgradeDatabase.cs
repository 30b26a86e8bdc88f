using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Watchtower.Data;

namespace Watchtower.Testing;

/// <summary>
/// A database of either store brought to an older migration, filled as that version of the app
/// left it (raw SQL: the current model no longer has those columns), then upgraded: the way to test
/// that a migration keeps what users had.
/// </summary>
public sealed class UpgradeDatabase : IAsyncDisposable
{
    private readonly string? sqliteFile;

    private UpgradeDatabase(TestStore store, DatabaseSettings settings, string? sqliteFile)
    {
        Store = store;
        Settings = settings;
        this.sqliteFile = sqliteFile;
    }

    public TestStore Store { get; }

    public DatabaseSettings Settings { get; }

    public static async Task<UpgradeDatabase> CreateAsync(TestStore store, CancellationToken cancellationToken)
    {
        if (store == TestStore.Postgres)
        {
            var connection = await TestPostgres.CreateDatabaseAsync(cancellationToken);
            return new UpgradeDatabase(store, new DatabaseSettings(DatabaseProvider.Postgres, connection, true), null);
        }

        var file = Path.Combine(Path.GetTempPath(), $"watchtower-upgrade-{Guid.NewGuid():N}.db");
        return new UpgradeDatabase(store, new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False", true), file);
    }

    public WatchtowerDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<WatchtowerDbContext>();
        DataServiceCollectionExtensions.Configure(options, Settings);
        return new WatchtowerDbContext(options.Options);
    }

    /// <summary>Migrates to the migration whose id ends with <paramref name="name"/> ("_Initial"), or to the latest when null.</summary>
    public async Task MigrateToAsync(string? name, CancellationToken cancellationToken)
    {
        await using var db = NewContext();
        var target = name is null ? null : db.Database.GetMigrations().Single(m => m.EndsWith(name, StringComparison.Ordinal));
        await db.GetService<IMigrator>().MigrateAsync(target, cancellationToken);
    }

    /// <summary>A timestamp as the store keeps it (timestamptz on PostgreSQL, a sortable integer on SQLite).</summary>
    public object Timestamp(DateTimeOffset at) =>
        Store == TestStore.Postgres ? at : new DateTimeOffsetToBinaryConverter().ConvertToProvider(at)!;

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var db = NewContext();
        await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        if (sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" })
            {
                File.Delete(file);
            }
        }

        return ValueTask.CompletedTask;
    }
}
