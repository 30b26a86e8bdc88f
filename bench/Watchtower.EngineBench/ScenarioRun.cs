using System.Globalization;

namespace Watchtower.EngineBench;

/// <summary>Where the built apps are.</summary>
public sealed record AppPaths(string Repository, string WorkerDll, string WebDll, string WebContentRoot)
{
    public static AppPaths Find(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var repository = settings.Repository;
        if (repository is null)
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Watchtower.sln")))
                {
                    repository = dir.FullName;
                    break;
                }
            }
        }

        if (repository is null)
        {
            throw new InvalidOperationException("Could not find Watchtower.sln above the harness; pass repo=<path>.");
        }

        repository = Path.GetFullPath(repository);
        string Dll(string project) => Path.Combine(repository, "src", project, "bin", settings.Configuration, "net10.0", project + ".dll");
        var paths = new AppPaths(repository, Dll("Watchtower.Worker"), Dll("Watchtower.Web"), Path.Combine(repository, "src", "Watchtower.Web"));
        foreach (var dll in new[] { paths.WorkerDll, paths.WebDll })
        {
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: run `dotnet build -c {settings.Configuration} Watchtower.sln` first.");
            }
        }

        return paths;
    }
}

/// <summary>
/// One scenario's world: a fresh database migrated by the apps themselves, the processes it
/// starts, the seeded checks and their phases, the sampler, and the numbers at the end.
/// </summary>
public sealed class ScenarioRun : IAsyncDisposable
{
    private readonly List<AppProcess> processes = [];
    private readonly Dictionary<string, int> sequence = [];
    private DateTimeOffset parkedBase;
    private StorageSizes? sizesBefore;

    private ScenarioRun(string name, BenchSettings settings, PostgresServer postgres, TargetFarm farm, AppPaths paths, string directory,
        string databaseName, Database database)
    {
        Name = name;
        Settings = settings;
        Postgres = postgres;
        Farm = farm;
        Paths = paths;
        Directory = directory;
        DatabaseName = databaseName;
        Db = database;
    }

    public string Name { get; }
    public BenchSettings Settings { get; }
    public PostgresServer Postgres { get; }
    public TargetFarm Farm { get; }
    public AppPaths Paths { get; }
    public string Directory { get; }
    public string DatabaseName { get; }
    public Database Db { get; }
    public Sampler? Sampler { get; private set; }
    public IReadOnlyDictionary<int, DateTimeOffset> Phases { get; private set; } = new Dictionary<int, DateTimeOffset>();

    /// <summary>The first slot of the first check (checks are due from here on, spread over one interval).</summary>
    public DateTimeOffset FirstSlot { get; private set; }

    /// <summary>Start of the measured window: the first slot plus the warm-up.</summary>
    public DateTimeOffset WindowStart => FirstSlot + Settings.Warmup;

    public static async Task<ScenarioRun> CreateAsync(string name, BenchSettings settings, PostgresServer postgres, TargetFarm farm, AppPaths paths,
        string outDirectory, SchemaNames names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(postgres);
        var directory = Path.Combine(outDirectory, name);
        System.IO.Directory.CreateDirectory(directory);
        var databaseName = $"enginebench_{name.Replace('-', '_')}";
        var connection = await postgres.CreateDatabaseAsync(databaseName, cancellationToken);
        return new ScenarioRun(name, settings, postgres, farm, paths, directory, databaseName, new Database(connection, names, settings.HangfireSchema));
    }

    private Dictionary<string, string> CommonConfiguration(string name) => new()
    {
        ["ConnectionStrings:Watchtower"] = Db.ConnectionString,
        ["Watchtower:Probes:AllowPrivateTargets"] = "true",
        ["Watchtower:DataDirectory"] = Path.Combine(Directory, name + "-data"),
    };

    /// <summary>A Worker as its own process; it migrates the database on start like any Worker.</summary>
    public async Task<AppProcess> StartWorkerAsync(bool waitReady, CancellationToken cancellationToken)
    {
        var name = $"worker-{Next("worker")}";
        var configuration = CommonConfiguration(name);
        foreach (var (key, value) in Settings.AppConfig.Concat(Settings.WorkerConfig))
        {
            configuration[key] = value;
        }

        var process = AppProcess.Start(name, Paths.WorkerDll, Path.GetDirectoryName(Paths.WorkerDll)!, configuration, Directory);
        return await AddAsync(process, waitReady, cancellationToken);
    }

    /// <summary>A Web host that runs no probes; <paramref name="dispatch"/> makes it claim and enqueue due checks.</summary>
    public async Task<AppProcess> StartWebAsync(bool dispatch, CancellationToken cancellationToken)
    {
        var name = $"web-{Next("web")}";
        var configuration = CommonConfiguration(name);
        configuration["Watchtower:Engine:RunServer"] = "false";
        configuration["Watchtower:Engine:RunDispatcher"] = dispatch ? "true" : "false";
        configuration["Watchtower:PublicBaseUrl"] = "http://127.0.0.1";
        foreach (var (key, value) in Settings.AppConfig.Concat(Settings.WebConfig))
        {
            configuration[key] = value;
        }

        var process = AppProcess.Start(name, Paths.WebDll, Paths.WebContentRoot, configuration, Directory);
        return await AddAsync(process, waitReady: true, cancellationToken);
    }

    private async Task<AppProcess> AddAsync(AppProcess process, bool waitReady, CancellationToken cancellationToken)
    {
        processes.Add(process);
        Sampler?.Track(process);
        if (waitReady)
        {
            await process.WaitReadyAsync(TimeSpan.FromMinutes(3), cancellationToken);
        }

        return process;
    }

    private int Next(string kind) => sequence[kind] = sequence.GetValueOrDefault(kind) + 1;

    /// <summary>Seeds the checks (parked a day ahead) once the first processes have migrated the database.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        parkedBase = DateTimeOffset.UtcNow;
        var started = DateTimeOffset.UtcNow;
        await Seeder.SeedAsync(Db.ConnectionString, Settings, Farm, parkedBase, cancellationToken);
        sizesBefore = await Db.SizesAsync(cancellationToken);
        Log($"seeded {Settings.Checks:N0} checks in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s");
    }

    /// <summary>Starts the sampler and moves every check to its phase: the first is due in <paramref name="lead"/>.</summary>
    public async Task StartScheduleAsync(TimeSpan lead, CancellationToken cancellationToken)
    {
        Sampler = new Sampler(Postgres, Db);
        foreach (var process in processes)
        {
            Sampler.Track(process);
        }

        FirstSlot = DateTimeOffset.UtcNow + lead;
        Phases = await Seeder.StartSchedule(Db.ConnectionString, Db.Names, (int)Settings.Interval.TotalSeconds, FirstSlot, cancellationToken);
        Log($"schedule started: first slot {Clock(FirstSlot)}, measured from {Clock(WindowStart)}");
    }

    public static async Task UntilAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }

    public IReadOnlyList<AppProcess> Running(string prefix) => processes.Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal) && !p.HasExited).ToList();

    /// <summary>Stops every process gracefully (SIGTERM; in-flight batches may finish), then reads the results back.</summary>
    public async Task<Analysis> FinishAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(processes.Select(p => p.StopAsync(TimeSpan.FromSeconds(45))));
        if (Sampler is not null)
        {
            await Sampler.DisposeAsync();
        }

        var results = await Db.ReadResultsAsync(FirstSlot - Settings.Interval, cancellationToken);
        return new Analysis(Phases, results, FirstSlot, Settings.Interval, Settings.Early);
    }

    public async Task<(double PerResult, double HangfirePerResult, StorageSizes After)> StorageAsync(CancellationToken cancellationToken)
    {
        var after = await Db.SizesAsync(cancellationToken);
        var before = sizesBefore ?? new StorageSizes(0, 0, 0, false, 0);
        var rows = after.ResultRows - before.ResultRows;
        return rows <= 0 ? (double.NaN, double.NaN, after)
            : ((after.ResultBytes - before.ResultBytes) / (double)rows, (after.HangfireBytes - before.HangfireBytes) / (double)rows, after);
    }

    public void Log(string message) => Console.WriteLine($"  [{Clock(DateTimeOffset.UtcNow)}] {Name}: {message}");

    public static string Clock(DateTimeOffset at) => at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        if (Sampler is not null)
        {
            await Sampler.DisposeAsync();
        }

        if (!Settings.KeepDatabases)
        {
            try
            {
                await Postgres.DropDatabaseAsync(DatabaseName, CancellationToken.None);
            }
            catch (Npgsql.NpgsqlException ex)
            {
                Console.Error.WriteLine($"Could not drop {DatabaseName}: {ex.Message}");
            }
        }
    }
}
