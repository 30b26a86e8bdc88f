using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data;

namespace Watchtower.Testing;

/// <summary>
/// The real Web host (Program) on a fresh database: an SQLite file in a temp folder, or a new
/// PostgreSQL database. Probes may dial loopback (tests run their servers on 127.0.0.1).
/// </summary>
public sealed class WatchtowerApp : WebApplicationFactory<Program>
{
    private readonly AppOptions options;
    private readonly string dataDirectory;
    private readonly string? postgres;

    static WatchtowerApp()
    {
        // Dozens of hosts live at once in a test run. Each would watch its configuration files with
        // inotify, and the kernel's default limit is 128 instances per user: past it, a new host's
        // first request fails with IOException (500). Tests never edit configuration files while
        // running, so no host reloads them, and any other file watcher polls instead.
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }

    private WatchtowerApp(AppOptions options, string? postgres)
    {
        this.options = options;
        this.postgres = postgres;
        dataDirectory = Path.Combine(Path.GetTempPath(), "watchtower-tests", Guid.NewGuid().ToString("N"));
    }

    public TestStore Store => options.Store;

    /// <summary>The app's data folder (its SQLite file, and mail/ where emails land when no SMTP host is set).</summary>
    public string DataDirectory => dataDirectory;

    /// <summary>The emails the app wrote to its pickup folder (no SMTP host configured).</summary>
    public Mailbox Mailbox => mailbox ??= new Mailbox(Path.Combine(dataDirectory, "mail"));

    private Mailbox? mailbox;

    /// <summary>The PostgreSQL connection string of this app's database (null on SQLite).</summary>
    public string? PostgresConnectionString => postgres;

    /// <summary>Creates the app (and for PostgreSQL a fresh database; skips or fails as TestPostgres decides).</summary>
    public static async Task<WatchtowerApp> CreateAsync(AppOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = options.Store != TestStore.Postgres ? null
            : options.PostgresConnectionString ?? await TestPostgres.CreateDatabaseAsync(cancellationToken);
        return new WatchtowerApp(options, connection);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(options.Environment);
        builder.UseSetting("ConnectionStrings:Watchtower", postgres ?? "");
        builder.UseSetting("Watchtower:DataDirectory", dataDirectory);
        builder.UseSetting("Watchtower:Probes:AllowPrivateTargets", "true");
        builder.UseSetting("Watchtower:Engine:RunServer", options.RunEngine ? "true" : "false");
        builder.UseSetting("Watchtower:Engine:MinimumIntervalSeconds", "1");
        builder.UseSetting("Watchtower:Engine:DispatchInterval", "00:00:00.500");
        builder.UseSetting("Watchtower:StatusPages:CacheSeconds", "1");
        builder.UseSetting("Watchtower:RateLimits:AuthPostsPerMinute", options.AuthPostsPerMinute.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        foreach (var (key, value) in options.Settings)
        {
            builder.UseSetting(key, value);
        }

        if (options.ConfigureServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }

    /// <summary>A DbContext from the app's own services (Identity options shape the model).</summary>
    public AsyncServiceScope CreateScope(out WatchtowerDbContext db)
    {
        var scope = Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
        return scope;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
