using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

// The Web host at scale, on PostgreSQL (or SQLite), through the real middleware pipeline (in-memory
// TestServer, so no socket cost is counted):
//  1. the owner dashboard of N checks: HTML bytes and server time per request (a middleware's
//     stopwatch around the whole pipeline), for the first and last page and two filters;
//  2. the public status page read with a fresh query string each time: requests/s and database
//     commands per request (an EF Core interceptor counts them).
// Usage: dotnet run -c Release --project bench/Watchtower.Bench.Web -- [checks=5000] [requests=200] [store=postgres|sqlite]
var settings = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
var count = int.Parse(settings.GetValueOrDefault("checks", "5000"), CultureInfo.InvariantCulture);
var requests = int.Parse(settings.GetValueOrDefault("requests", "200"), CultureInfo.InvariantCulture);
var store = settings.GetValueOrDefault("store", "postgres") == "sqlite" ? TestStore.Sqlite : TestStore.Postgres;

// WebApplicationFactory looks for the Web project's content root next to a solution file it finds from
// the test assembly's folder; this is not a test assembly, so say where it is.
var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "src", "Watchtower.Web")))
{
    root = root.Parent;
}

Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_WATCHTOWER_WEB",
    Path.Combine(root?.FullName ?? throw new InvalidOperationException("Run from inside the repository."), "src", "Watchtower.Web"));

var serverTimes = new ConcurrentDictionary<string, List<double>>();
var probe = new CommandProbe();
await using var app = await WatchtowerApp.CreateAsync(new AppOptions
{
    Store = store,
    Settings = new Dictionary<string, string?> { ["Watchtower:StatusPages:CacheSeconds"] = "60", ["Serilog:MinimumLevel:Default"] = "Error" },
    ConfigureServices = services =>
    {
        probe.Install(services);
        services.ConfigureDbContext<Watchtower.Data.WatchtowerDbContext>(o => o.AddInterceptors(DbTime.Instance));
        services.AddSingleton<IStartupFilter>(new ServerTiming(serverTimes));
    },
});
using var owner = await new OwnerClient(app).RegisterAsync();
var slug = await SeedAsync(app, owner.Email, count);
Console.WriteLine($"Web host at scale: {count:N0} checks, {store}, {requests} requests per case");

// 1. The dashboard.
string[] cases = ["/Dashboard", $"/Dashboard?p={(count + 49) / 50}", "/Dashboard?state=down", "/Dashboard?kind=http&q=shop-1"];
for (var i = 0; i < 20; i++)
{
    await owner.GetAsync(cases[i % cases.Length]); // warm: JIT, plans, pool
}

Console.WriteLine("| Request | HTML bytes | server ms p50 | p95 | max | DB commands / request | DB ms / request |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var url in cases)
{
    serverTimes.Clear();
    var commands = probe.Commands.Count;
    DbTime.Instance.Reset();
    var bytes = 0;
    for (var i = 0; i < requests; i++)
    {
        var page = await owner.GetAsync(url);
        if (page.Status != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{url} answered {page.Status}");
        }

        bytes = Encoding.UTF8.GetByteCount(page.Body);
    }

    var times = serverTimes.GetValueOrDefault("/Dashboard") ?? [];
    times.Sort();
    Console.WriteLine($"| `{url}` | {bytes:N0} | {Pct(times, 0.50):0.0} | {Pct(times, 0.95):0.0} | {times[^1]:0.0} | " +
                      $"{(probe.Commands.Count - commands) / (double)requests:0.0} | {DbTime.Instance.Milliseconds / requests:0.0} |");
}

// 2. The public page with made-up query strings.
using var visitor = app.CreateClient();
await visitor.GetStringAsync(new Uri($"/status/{slug}", UriKind.Relative));
var before = probe.Commands.Count;
var clock = Stopwatch.StartNew();
var n = requests * 25;
for (var i = 0; i < n; i++)
{
    using var response = await visitor.GetAsync(new Uri($"/status/{slug}?x={i}", UriKind.Relative));
    response.EnsureSuccessStatusCode();
}

clock.Stop();
Console.WriteLine();
Console.WriteLine($"Public page, {n:N0} requests each with a new query string (?x=N), one client: {n / clock.Elapsed.TotalSeconds:N0} requests/s, " +
                  $"{probe.Commands.Count - before} database commands in all");
return;

static double Pct(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static async Task<string> SeedAsync(WatchtowerApp app, string email, int count)
{
    await using var scope = app.CreateScope(out var db);
    var teamId = await db.TeamMembers.Where(m => m.User!.Email == email).Select(m => m.TeamId).SingleAsync();
    var now = DateTimeOffset.UtcNow;
    var ids = new List<int>();
    for (var from = 1; from <= count; from += 1000)
    {
        var batch = Enumerable.Range(from, Math.Min(1000, count - from + 1)).Select(n => new Check
        {
            TeamId = teamId,
            Name = $"Check {n:0000} · order intake and payment gateway of the EU web shop",
            Settings = n % 10 == 0
                ? new Watchtower.Probes.Http.HttpSettings { Url = $"https://shop-{n}.example.com/api/v2/health/ready?region=eu-central-1&deep=true" }
                : new Watchtower.Probes.Tcp.TcpSettings { Host = $"host-{n:0000}.example", Port = 25 },
            State = n % 50 == 1 ? CheckState.Down : n % 50 == 2 ? CheckState.Degraded : n % 50 == 3 ? CheckState.Pending : CheckState.Up,
            LastCheckedAt = now.AddSeconds(-(n % 60)),
            LastLatencyMs = 10 + (n % 300),
            LastMessage = n % 50 == 1 ? "Connection refused on port 25." : "Connected in 12 ms; the server greeted with 220 mail.example.com ESMTP Postfix (Debian/GNU) ready.",
            CreatedAt = now,
            NextRunAt = now.AddYears(1),
        }).ToList();
        db.Checks.AddRange(batch);
        await db.SaveChangesAsync();
        ids.AddRange(batch.Select(c => c.Id));
        db.ChangeTracker.Clear();
    }

    var slug = $"bench-{Guid.NewGuid():N}"[..20];
    db.StatusPages.Add(new StatusPage
    {
        TeamId = teamId, Name = "Acme", Slug = slug, CreatedAt = now,
        Checks = [.. ids.Take(20).Select((id, i) => new StatusPageCheck { CheckId = id, SortOrder = i })],
    });
    await db.SaveChangesAsync();
    return slug;
}

/// <summary>The time commands took until their results began to arrive (EF Core's own measure), summed.</summary>
internal sealed class DbTime : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
{
    public static readonly DbTime Instance = new();
    private long ticks;

    public double Milliseconds => TimeSpan.FromTicks(Interlocked.Read(ref ticks)).TotalMilliseconds;

    public void Reset() => Interlocked.Exchange(ref ticks, 0);

    public override ValueTask<System.Data.Common.DbDataReader> ReaderExecutedAsync(System.Data.Common.DbCommand command,
        Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, System.Data.Common.DbDataReader result, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref ticks, eventData.Duration.Ticks);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<object?> ScalarExecutedAsync(System.Data.Common.DbCommand command,
        Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref ticks, eventData.Duration.Ticks);
        return ValueTask.FromResult(result);
    }
}

/// <summary>Times every request from the first middleware to the last byte written, by path.</summary>
internal sealed class ServerTiming(ConcurrentDictionary<string, List<double>> times) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            var clock = Stopwatch.StartNew();
            await inner(context);
            var list = times.GetOrAdd(context.Request.Path.Value ?? "", _ => []);
            lock (list)
            {
                list.Add(clock.Elapsed.TotalMilliseconds);
            }
        });
        next(app);
    };
}
