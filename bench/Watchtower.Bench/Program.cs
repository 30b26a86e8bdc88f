using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Hosting;
using Watchtower.Testing;

// How fast does one node get every due check probed and written back?
// N TCP checks, all due now, against a loopback listener; the real engine (dispatcher → Hangfire →
// batch job → results) runs until every check has a result. Usage:
//   dotnet run -c Release --project bench/Watchtower.Bench -- [checks=2000] [store=postgres|sqlite] [batch=50] [workers=8]
var settings = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
var count = int.Parse(settings.GetValueOrDefault("checks", "2000"), CultureInfo.InvariantCulture);
var store = settings.GetValueOrDefault("store", "postgres");
var batch = settings.GetValueOrDefault("batch", "50");
var workers = settings.GetValueOrDefault("workers", "8");

await using var listener = new LoopbackListener();
var dataDirectory = Path.Combine(Path.GetTempPath(), $"wt-bench-{Guid.NewGuid():N}");
var connection = store == "postgres" ? await TestPostgres.CreateDatabaseAsync() : "";

var builder = WebApplication.CreateSlimBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:Watchtower"] = connection,
    ["Watchtower:DataDirectory"] = dataDirectory,
    ["Watchtower:Probes:AllowPrivateTargets"] = "true",
    ["Watchtower:Engine:RunServer"] = "true",
    ["Watchtower:Engine:BatchSize"] = batch,
    ["Watchtower:Engine:WorkerCount"] = workers,
    ["Watchtower:Engine:DispatchInterval"] = "00:00:00.500",
    ["Serilog:MinimumLevel:Default"] = "Warning",
    ["Serilog:MinimumLevel:Override:Hangfire"] = "Warning",
});
builder.AddWatchtowerCore();
var app = builder.Build();
await DatabaseMigrator.MigrateAsync(app.Services, CancellationToken.None);

var due = DateTimeOffset.UtcNow;
await using (var scope = app.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
    var owner = new WatchtowerUser { UserName = "bench@example.com", Email = "bench@example.com" };
    db.Users.Add(owner);
    await db.SaveChangesAsync();
    var team = new Team { Name = "Bench", CreatedAt = DateTimeOffset.UtcNow, Members = [new TeamMember { UserId = owner.Id, Role = TeamRole.Owner }] };
    db.Teams.Add(team);
    await db.SaveChangesAsync();
    for (var i = 0; i < count; i += 1000)
    {
        db.Checks.AddRange(Enumerable.Range(i, Math.Min(1000, count - i)).Select(n => new Check
        {
            TeamId = team.Id, Name = $"bench {n}", Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = "127.0.0.1", Port = listener.Port },
            IntervalSeconds = 3600, TimeoutSeconds = 5, NextRunAt = due, CreatedAt = due,
        }));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }
}

var clock = Stopwatch.StartNew();
due = DateTimeOffset.UtcNow;
await app.StartAsync();
var done = 0;
while (clock.Elapsed < TimeSpan.FromMinutes(5))
{
    await Task.Delay(200);
    await using var scope = app.Services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
    done = await db.Checks.CountAsync(c => c.LastCheckedAt != null);
    if (done >= count)
    {
        break;
    }
}

clock.Stop();
List<DateTimeOffset> finished;
await using (var scope = app.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
    finished = (await db.Checks.Select(c => c.LastCheckedAt).ToListAsync()).OfType<DateTimeOffset>().Order().ToList();
}

await app.StopAsync();
double Lateness(double q) => finished.Count == 0 ? double.NaN : (finished[(int)Math.Min(finished.Count - 1, q * finished.Count)] - due).TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"store={store} checks={count} batch={batch} workers={workers}: {done} probed in {clock.Elapsed.TotalSeconds:0.0} s = {done / clock.Elapsed.TotalSeconds:0} checks/s; " +
    $"result written after p50 {Lateness(0.5):0.0} s, p95 {Lateness(0.95):0.0} s, max {Lateness(1):0.0} s; listener accepted {listener.Accepted}"));
return done >= count ? 0 : 1;
