using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Monitoring.Hosting;
using Watchtower.Monitoring.Retention;
using Watchtower.Testing;

// How many bytes does one stored result take on PostgreSQL, indexes included?
// N TCP checks (some against a listener that accepts, the rest against a closed port, so they are
// down and keep a message), run R times each through the engine's own write path: ProbeEngine
// (lease → probe → ResultWriter → recorder, many results per save), batches of 200 in random order,
// several at once. Then the
// size of check_results' partitions (table, indexes, free-space and visibility maps) over the rows.
//   dotnet run -c Release --project bench/Watchtower.StorageBench -- [checks=2000] [rounds=60] [down=10] [parallel=4]
var settings = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
int Setting(string name, int fallback) => int.Parse(settings.GetValueOrDefault(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var count = Setting("checks", 2000);
var rounds = Setting("rounds", 60);
var downPercent = Setting("down", 10);
var parallel = Setting("parallel", 4);
const int BatchSize = 200;

await using var listener = new LoopbackListener();
var closedPort = Watchtower.Testing.Servers.ServerProcess.FreePort();
var connection = await TestPostgres.CreateDatabaseAsync();

var builder = WebApplication.CreateSlimBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:Watchtower"] = connection,
    ["Watchtower:Probes:AllowPrivateTargets"] = "true",
    ["Watchtower:Engine:RunServer"] = "false",
    ["Serilog:MinimumLevel:Default"] = "Warning",
});
builder.AddWatchtowerCore();
var app = builder.Build();
await DatabaseMigrator.MigrateAsync(app.Services, CancellationToken.None);

var ids = new List<int>();
await using (var scope = app.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
    var team = new Team { Name = "Bench", CreatedAt = DateTimeOffset.UtcNow };
    db.Teams.Add(team);
    await db.SaveChangesAsync();
    var checks = Enumerable.Range(0, count).Select(n => new Check
    {
        TeamId = team.Id, Name = $"bench {n}", IntervalSeconds = 30, TimeoutSeconds = 5, FailureThreshold = 1,
        NextRunAt = DateTimeOffset.UtcNow.AddYears(1), CreatedAt = DateTimeOffset.UtcNow,
        Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = "127.0.0.1", Port = n % 100 < downPercent ? closedPort : listener.Port },
    }).ToList();
    db.Checks.AddRange(checks);
    await db.SaveChangesAsync();
    ids.AddRange(checks.Select(c => c.Id));
}

var clock = Stopwatch.StartNew();
for (var round = 0; round < rounds; round++)
{
    // The dispatcher claims in due order, which after the first interval has nothing to do with ids.
    var order = ids.OrderBy(_ => Random.Shared.Next()).ToArray();
    var engine = app.Services.GetRequiredService<ProbeEngine>();
    await Parallel.ForEachAsync(order.Chunk(BatchSize), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (batch, ct) =>
        await engine.RunNowAsync(batch, ct));
    Console.Write($"\rround {round + 1}/{rounds}");
}

Console.WriteLine();
await using (var scope = app.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
    db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
    var rows = (await db.Database.SqlQueryRaw<long>("""SELECT count(*) AS "Value" FROM check_results""").ToListAsync()).Single();
    var down = (await db.Database.SqlQueryRaw<long>("""SELECT count(*) AS "Value" FROM check_results WHERE "MessageId" IS NOT NULL""").ToListAsync()).Single();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"checks {count}, rounds {rounds}, {rows} results ({down} with a message) in {clock.Elapsed.TotalSeconds:F0} s"));
    Console.WriteLine("as written (today's partition): " + await MeasureAsync(db, rows));

    // What the hourly pass does to each day once it is over (here, today's at once).
    foreach (var day in await ResultPartitions.ListAsync(db, CancellationToken.None))
    {
        await ResultPartitions.CompactAsync(db, day, CancellationToken.None);
    }

    Console.WriteLine("compacted (every closed day):  " + await MeasureAsync(db, rows));
    var messages = (await db.Database.SqlQueryRaw<long>("""SELECT pg_total_relation_size('result_messages') AS "Value" """).ToListAsync()).Single();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"result_messages: {messages / 1024.0:F0} KiB in all"));
}

await app.DisposeAsync();

static async Task<string> MeasureAsync(WatchtowerDbContext db, long rows)
{
    // What autovacuum would have done by now: its free-space and visibility maps count too.
    await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE) check_results");
    var sizes = (await db.Database.SqlQueryRaw<Sizes>("""
        SELECT sum(pg_total_relation_size(c.oid))::bigint AS "Total", sum(pg_relation_size(c.oid))::bigint AS "Heap", sum(pg_indexes_size(c.oid))::bigint AS "Indexes"
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'check_results'::regclass
        """).ToListAsync()).Single();
    return string.Create(CultureInfo.InvariantCulture,
        $"{sizes.Total / (double)rows:F1} bytes/result (heap {sizes.Heap / (double)rows:F1}, indexes {sizes.Indexes / (double)rows:F1}, maps {(sizes.Total - sizes.Heap - sizes.Indexes) / (double)rows:F1}); total {sizes.Total / 1024.0 / 1024.0:F1} MiB");
}

internal sealed record Sizes(long Total, long Heap, long Indexes);
