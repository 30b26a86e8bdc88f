using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Probes.Tcp;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Engine;

/// <summary>Engine tests run against both stores; subclasses pick one.</summary>
public abstract class EngineTestBase : IAsyncLifetime
{
    protected abstract TestStore Store { get; }

    protected virtual bool RunEngine => false;

    /// <summary>Configuration the test's app starts with (engine limits, for instance).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <summary>Changes to the app's services (a fake clock, say).</summary>
    protected virtual Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices => null;

    protected WatchtowerApp App { get; private set; } = null!;

    protected int TeamId { get; private set; }

    /// <summary>True: the test gets a PostgreSQL server of its own (<see cref="Server"/>), which it may restart.</summary>
    protected virtual bool OwnPostgresServer => false;

    protected PrivatePostgres? Server { get; private set; }

    public async ValueTask InitializeAsync()
    {
        string? connectionString = null;
        if (OwnPostgresServer)
        {
            Server = await PrivatePostgres.StartAsync(TestContext.Current.CancellationToken);
            connectionString = await Server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        }

        App = await WatchtowerApp.CreateAsync(new AppOptions { Store = Store, RunEngine = RunEngine, Settings = Settings, PostgresConnectionString = connectionString, ConfigureServices = ConfigureServices }, TestContext.Current.CancellationToken);
        _ = App.Services; // starts the host: migrations run
        await using var scope = App.CreateScope(out var db);
        var user = new WatchtowerUser { UserName = $"engine-{Guid.NewGuid():N}@example.com", Email = "engine@example.com" };
        db.Users.Add(user);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        var team = new Team { Name = "Engine", CreatedAt = DateTimeOffset.UtcNow, Members = [new TeamMember { UserId = user.Id, Role = TeamRole.Owner }] };
        db.Teams.Add(team);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        TeamId = team.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected async Task<Check> AddCheckAsync(int port, DateTimeOffset nextRunAt, bool enabled = true, int failureThreshold = 1, string host = "127.0.0.1",
        int intervalSeconds = 60, int timeoutSeconds = 2, TcpService service = TcpService.PortOpen)
    {
        await using var scope = App.CreateScope(out var db);
        var check = new Check
        {
            TeamId = TeamId, Name = $"tcp {port}", Settings = new TcpSettings { Host = host, Port = port, Service = service }, IntervalSeconds = intervalSeconds, TimeoutSeconds = timeoutSeconds,
            Enabled = enabled, State = enabled ? CheckState.Pending : CheckState.Paused, NextRunAt = nextRunAt,
            CreatedAt = nextRunAt, FailureThreshold = failureThreshold,
        };
        db.Checks.Add(check);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return check;
    }

    /// <summary>
    /// Changes a stored check as another process would (the owner's pages), the way the owner's check service does it:
    /// when the engine saved the check in
    /// between (a lease taken, a result written), the change is applied again to the fresh row.
    /// </summary>
    protected async Task ChangeAsync(int id, Action<Check> change) => await ChangeAsync(id, (_, _, stored) => change(stored));

    /// <inheritdoc cref="ChangeAsync(int, Action{Check})"/>
    protected async Task ChangeAsync(int id, Action<IServiceProvider, WatchtowerDbContext, Check> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = App.CreateScope(out var db);
            var stored = await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
            change(scope.ServiceProvider, db, stored);
            try
            {
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
            }
        }
    }

    protected async Task<Check> ReloadAsync(int id)
    {
        await using var scope = App.CreateScope(out var db);
        return await db.Checks.AsNoTracking().SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
    }

    protected async Task<List<T>> QueryAsync<T>(Func<WatchtowerDbContext, IQueryable<T>> query)
    {
        await using var scope = App.CreateScope(out var db);
        return await query(db).ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A port with nothing listening on it (bound, then released).</summary>
    protected static int ClosedPort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        var port = ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }

    /// <summary>The built Worker host, to run as a separate process.</summary>
    protected static string WorkerDll()
    {
        // tests/Watchtower.Monitoring.Tests/bin/<Configuration>/net10.0 → src/Watchtower.Worker/bin/<Configuration>/net10.0
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Watchtower.sln")))
        {
            root = root.Parent;
        }

        Debug.Assert(root is not null, "the tests run inside the repository");
        var dll = Path.Combine(root!.FullName, "src", "Watchtower.Worker", "bin", configuration, framework, "Watchtower.Worker.dll");
        Assert.True(File.Exists(dll), $"Build the Worker first: {dll} is missing.");
        return dll;
    }

    /// <summary>
    /// No run written twice: each result belongs to the slot of the check's schedule it started in
    /// (a run starts at its slot or, late, before the next one), so two results in one slot are the
    /// same run written twice. Runs later than a whole interval would break this; the tests keep
    /// their checks few enough that they are not.
    /// </summary>
    protected static void AssertOneResultPerSlot(IEnumerable<(int CheckId, DateTimeOffset CheckedAt)> results, int intervalSeconds)
    {
        var periodMs = intervalSeconds * 1000L;
        foreach (var check in results.GroupBy(r => r.CheckId))
        {
            var phase = Watchtower.Monitoring.Engine.Schedule.PhaseMs(check.Key, periodMs);
            var twice = check.GroupBy(r => Math.Floor((r.CheckedAt.ToUnixTimeMilliseconds() - phase) / (double)periodMs)).FirstOrDefault(g => g.Count() > 1);
            Assert.True(twice is null, $"check {check.Key}: two results in one slot, at {string.Join(" and ", twice?.Select(r => r.CheckedAt.ToString("O")) ?? [])}");
        }
    }
}
