using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.History;
using Watchtower.Testing;

// The public status page against its ceiling, in one run:
//  1. the real Web host (Production environment, its own middleware pipeline, Kestrel on 127.0.0.1)
//     on PostgreSQL (or SQLite) with a page of 50 components, 90 days of daily and 7 days of hourly
//     rollups, incidents and a maintenance window;
//  2. the page fetched once and its bytes put in the root of a private nginx (127.0.0.1, own prefix);
//  3. wrk, 64 connections for 20 s with --latency, against both: requests/s, p50, p99;
//  4. the uncached render: N sequential reads each with a new "?p=N" (the cache policy varies by p,
//     which the page itself ignores), timed by a middleware before every other one;
//  5. the same for a page showing 5,000 checks.
// Prints a table; exit code 0 when every target is met, 1 when one is missed, 2 when the harness failed.
// Usage: dotnet run -c Release --project bench/Watchtower.Bench.PublicPage -- [store=postgres|sqlite]
//        [components=50] [connections=64] [seconds=20] [threads=2] [renders=50] [big=5000] [bigrenders=5] [cache=5] [log=Warning] [save=page.html]
var settings = args.Select(a => a.TrimStart('-').Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
int Setting(string name, int fallback) => int.Parse(settings.GetValueOrDefault(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var store = settings.GetValueOrDefault("store", "postgres") == "sqlite" ? TestStore.Sqlite : TestStore.Postgres;
var components = Setting("components", 50);
var connections = Setting("connections", 64);
var seconds = Setting("seconds", 20);
var threads = Setting("threads", 2);
var renders = Setting("renders", 50);
var big = Setting("big", 5000);
var bigRenders = Setting("bigrenders", 5);
var logLevel = settings.GetValueOrDefault("log", "Warning");

var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "src", "Watchtower.Web")))
{
    root = root.Parent;
}

Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_WATCHTOWER_WEB",
    Path.Combine(root?.FullName ?? throw new InvalidOperationException("Run from inside the repository."), "src", "Watchtower.Web"));

var work = Directory.CreateTempSubdirectory("watchtower-pagebench-");
Process? nginx = null;
try
{
    var serverTimes = new ConcurrentDictionary<string, List<double>>();
    await using var app = await WatchtowerApp.CreateAsync(new AppOptions
    {
        Store = store,
        Environment = "Production",
        Settings = new Dictionary<string, string?>
        {
            // The production default (5 s), not the tests' 1 s.
            ["Watchtower:StatusPages:CacheSeconds"] = settings.GetValueOrDefault("cache", "5"),
            ["Serilog:MinimumLevel:Default"] = logLevel,
            // Production requires it; the bench's requests come in on this host, as a reader's would on the real one.
            ["Watchtower:PublicBaseUrl"] = "http://127.0.0.1",
        },
        ConfigureServices = services => services.AddSingleton<IStartupFilter>(new RenderTiming(serverTimes)),
    });
    app.UseKestrel(0);
    app.StartServer();
    var baseUrl = app.ClientOptions.BaseAddress.ToString().TrimEnd('/');
    if (!baseUrl.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"The app listens on {baseUrl}, not on 127.0.0.1.");
    }

    Console.WriteLine($"Public page bench: {components} components, 90 days of history, {store}, Kestrel at {baseUrl}; load {Load()}");
    var clock = Stopwatch.StartNew();
    var (slug, templates) = await SeedPageAsync(app, components);
    Console.WriteLine($"Seeded the page /status/{slug} in {clock.Elapsed.TotalSeconds:0.0} s");

    using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    var path = $"/status/{slug}";
    using var first = await http.GetAsync(new Uri(path, UriKind.Relative));
    first.EnsureSuccessStatusCode();
    var bytes = await first.Content.ReadAsByteArrayAsync();
    var html = System.Text.Encoding.UTF8.GetString(bytes);
    if (!html.Contains("id=\"history-0\"", StringComparison.Ordinal) || Regex.Count(html, "class=\"service\"") != components)
    {
        throw new InvalidOperationException($"The page does not show {components} services with their history.");
    }

    if (settings.GetValueOrDefault("save") is { Length: > 0 } save)
    {
        await File.WriteAllBytesAsync(save, bytes); // save=/tmp/page.html: to look at what the bytes are
    }

    // nginx: the same bytes as a static file.
    var www = Directory.CreateDirectory(Path.Combine(work.FullName, "www"));
    await File.WriteAllBytesAsync(Path.Combine(www.FullName, "index.html"), bytes);
    var nginxPort = FreePort();
    nginx = StartNginx(work.FullName, nginxPort);

    // Warm both (JIT, the cache entry), then measure each in turn.
    await Wrk($"{baseUrl}{path}", 4, 2, connections: 16);
    await Wrk($"http://127.0.0.1:{nginxPort}/", 4, 2, connections: 16);
    Console.WriteLine($"wrk -t{threads} -c{connections} -d{seconds}s --latency; load before: {Load()}");
    var watchtower = await Wrk($"{baseUrl}{path}", seconds, threads, connections);
    var ceiling = await Wrk($"http://127.0.0.1:{nginxPort}/", seconds, threads, connections);
    Console.WriteLine($"load after: {Load()}");
    var ratio = watchtower.RequestsPerSecond / ceiling.RequestsPerSecond;
    Console.WriteLine();
    Console.WriteLine($"| Server | requests/s | p50 ms | p99 ms | bytes | errors |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    Console.WriteLine($"| Watchtower (output cache) | {watchtower.RequestsPerSecond:N0} | {watchtower.P50Ms:0.00} | {watchtower.P99Ms:0.00} | {bytes.Length:N0} | {watchtower.Errors} |");
    Console.WriteLine($"| nginx, same bytes | {ceiling.RequestsPerSecond:N0} | {ceiling.P50Ms:0.00} | {ceiling.P99Ms:0.00} | {bytes.Length:N0} | {ceiling.Errors} |");
    Console.WriteLine($"| ratio | {ratio:P1} | | | | |");
    Console.WriteLine();

    // The uncached render: a new ?p=N each time makes a new cache entry, so every read renders.
    var render = await RenderTimesAsync(http, path, renders, serverTimes);
    Console.WriteLine($"Uncached render of {components} components: median {Pct(render, 0.5):0.0} ms, p95 {Pct(render, 0.95):0.0} ms; load {Load()}");

    // A page showing `big` checks (a second team), the same history copied onto each.
    double[] bigRender = [];
    long bigBytes = 0;
    if (big > 0)
    {
        clock.Restart();
        var bigSlug = await SeedBigPageAsync(app, big, templates);
        Console.WriteLine($"Seeded a page of {big:N0} checks in {clock.Elapsed.TotalSeconds:0.0} s");
        using var once = await http.GetAsync(new Uri($"/status/{bigSlug}", UriKind.Relative));
        once.EnsureSuccessStatusCode();
        bigBytes = (await once.Content.ReadAsByteArrayAsync()).LongLength;
        bigRender = await RenderTimesAsync(http, $"/status/{bigSlug}", bigRenders, serverTimes);
    }

    // The table.
    var failures = new List<string>();
    void Target(bool met, string what)
    {
        if (!met)
        {
            failures.Add(what);
        }
    }

    Target(ratio >= 0.80, $"requests/s {ratio:P0} of nginx (target ≥ 80 %)");
    Target(watchtower.P99Ms <= 20, $"p99 {watchtower.P99Ms:0.0} ms (target ≤ 20 ms)");
    Target(Pct(render, 0.5) <= 50, $"uncached render median {Pct(render, 0.5):0.0} ms (target ≤ 50 ms)");
    Target(big == 0 || Pct(bigRender, 0.5) <= 200, $"{big:N0}-check page render median {Pct(bigRender, 0.5):0.0} ms (target ≤ 200 ms)");

    Console.WriteLine();
    Console.WriteLine("| Uncached render (server ms) | n | median | p95 | max | bytes |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    Console.WriteLine($"| {components} components | {render.Length} | {Pct(render, 0.5):0.0} | {Pct(render, 0.95):0.0} | {render[^1]:0.0} | {bytes.Length:N0} |");
    if (big > 0)
    {
        Console.WriteLine($"| {big:N0} checks | {bigRender.Length} | {Pct(bigRender, 0.5):0.0} | {Pct(bigRender, 0.95):0.0} | {bigRender[^1]:0.0} | {bigBytes:N0} |");
    }

    Console.WriteLine();
    Console.WriteLine(failures.Count == 0 ? "All targets met." : "Missed: " + string.Join("; ", failures));
    return failures.Count == 0 ? 0 : 1;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"The bench failed: {ex}");
    return 2;
}
finally
{
    if (nginx is { HasExited: false })
    {
        nginx.Kill(entireProcessTree: true);
        await nginx.WaitForExitAsync();
    }

    try
    {
        work.Delete(recursive: true);
    }
    catch (IOException)
    {
    }
}

static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task<double[]> RenderTimesAsync(HttpClient http, string path, int n, ConcurrentDictionary<string, List<double>> times)
{
    var stamp = Environment.TickCount64;
    for (var i = 0; i < Math.Min(3, n); i++)
    {
        (await http.GetAsync(new Uri($"{path}?p=w{stamp}{i}", UriKind.Relative))).EnsureSuccessStatusCode(); // warm
    }

    times.Clear();
    for (var i = 0; i < n; i++)
    {
        using var response = await http.GetAsync(new Uri($"{path}?p={stamp}{i}", UriKind.Relative), HttpCompletionOption.ResponseContentRead);
        response.EnsureSuccessStatusCode();
    }

    var all = times.GetValueOrDefault(path) ?? [];
    if (all.Count != n)
    {
        throw new InvalidOperationException($"Timed {all.Count} renders of {path}, expected {n}.");
    }

    return [.. all.Order()];
}

static Process StartNginx(string prefix, int port)
{
    var conf = Path.Combine(prefix, "nginx.conf");
    // Two workers for two cores, no access log, sendfile: nginx at its plain best for one static file.
    File.WriteAllText(conf, $$"""
        worker_processes auto;
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/error.log warn;
        {{(Environment.UserName == "root" ? "user root;" : "")}}
        events { worker_connections 4096; }
        http {
            access_log off;
            sendfile on;
            tcp_nopush on;
            keepalive_requests 1000000;
            client_body_temp_path {{prefix}}/client_body;
            proxy_temp_path {{prefix}}/proxy;
            fastcgi_temp_path {{prefix}}/fastcgi;
            uwsgi_temp_path {{prefix}}/uwsgi;
            scgi_temp_path {{prefix}}/scgi;
            server {
                listen 127.0.0.1:{{port}};
                root {{prefix}}/www;
                location / { default_type "text/html; charset=utf-8"; index index.html; }
            }
        }
        """);
    var process = Process.Start(new ProcessStartInfo("nginx", ["-p", prefix, "-c", conf, "-g", "daemon off;"]) { RedirectStandardError = true, UseShellExecute = false })
                  ?? throw new InvalidOperationException("nginx did not start (apt-get install nginx-light).");
    var deadline = DateTime.UtcNow.AddSeconds(10);
    while (true)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return process;
        }
        catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
        {
            Thread.Sleep(50);
        }
        catch (SocketException)
        {
            throw new InvalidOperationException($"nginx did not listen on {port}: {(process.HasExited ? process.StandardError.ReadToEnd() : "timeout")}");
        }
    }
}

static async Task<WrkResult> Wrk(string url, int seconds, int threads, int connections)
{
    var info = new ProcessStartInfo("wrk", ["-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency", url])
    {
        RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
    };
    using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk).");
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"wrk failed: {output} {await process.StandardError.ReadToEndAsync()}");
    }

    static double Ms(Match m) => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * m.Groups[2].Value switch
    {
        "us" => 0.001,
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        _ => throw new FormatException(m.Value),
    };

    var rps = Regex.Match(output, @"Requests/sec:\s+([\d.]+)");
    var p50 = Regex.Match(output, @"^\s+50%\s+([\d.]+)(us|ms|s|m)\b", RegexOptions.Multiline);
    var p99 = Regex.Match(output, @"^\s+99%\s+([\d.]+)(us|ms|s|m)\b", RegexOptions.Multiline);
    if (!rps.Success || !p50.Success || !p99.Success)
    {
        throw new FormatException($"Could not read wrk's output:\n{output}");
    }

    var errors = Regex.Match(output, @"Non-2xx or 3xx responses:\s+(\d+)");
    var socket = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
    var errorCount = (errors.Success ? long.Parse(errors.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
                     + (socket.Success ? Enumerable.Range(1, 4).Sum(g => long.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture)) : 0);
    return new WrkResult(double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), Ms(p50), Ms(p99), errorCount);
}

static async Task<int> NewTeamAsync(WatchtowerDbContext db, string name)
{
    // The team alone (no member): a public page needs nobody signed in, and sign-up over plain http is
    // refused in Production (secure cookies).
    var team = new Team { Name = name, CreatedAt = DateTimeOffset.UtcNow };
    db.Teams.Add(team);
    await db.SaveChangesAsync();
    return team.Id;
}

static async Task<(string Slug, int[] Checks)> SeedPageAsync(WatchtowerApp app, int count)
{
    await using var scope = app.CreateScope(out var db);
    var teamId = await NewTeamAsync(db, "Acme Logistics");
    var now = DateTimeOffset.UtcNow;
    string[] kinds = ["Mail (SMTP)", "IMAP", "Customer database", "Web shop", "API", "SFTP", "Redis cache", "Payments", "DNS", "Login"];
    var checks = Enumerable.Range(0, count).Select(n => new Check
    {
        TeamId = teamId,
        Name = $"{kinds[n % kinds.Length]} · region {n / kinds.Length + 1}",
        Settings = n % 4 == 3
            ? new Watchtower.Probes.Http.HttpSettings { Url = $"https://shop-{n}.example.com/health" }
            : new Watchtower.Probes.Tcp.TcpSettings { Host = $"host-{n:00}.example.com", Port = 25 },
        ShowTargetOnStatusPage = n % 5 == 0,
        State = n == 7 ? CheckState.Down : n == 13 ? CheckState.Degraded : CheckState.Up,
        LastPublicMessage = n == 7 ? "Connection refused." : n == 13 ? "Slow answer: 1,840 ms." : null,
        LastCheckedAt = now.AddSeconds(-(n % 60)),
        LastLatencyMs = 10 + (n * 7 % 300),
        CreatedAt = now.AddDays(-120),
        NextRunAt = now.AddYears(1),
    }).ToList();
    db.Checks.AddRange(checks);
    await db.SaveChangesAsync();

    var slug = $"bench-{Guid.NewGuid():N}"[..20];
    var page = new StatusPage
    {
        TeamId = teamId, Name = "Acme Logistics", Slug = slug, CreatedAt = now.AddDays(-120),
        Description = "Live status of Acme's mail, shop and customer services.",
        Groups = [.. Enumerable.Range(0, 4).Select(g => new StatusPageGroup { Name = $"Region {g + 1}", SortOrder = g })],
    };
    db.StatusPages.Add(page);
    await db.SaveChangesAsync();
    // Ten ungrouped, then four groups of the rest.
    page.Checks = [.. checks.Select((c, i) => new StatusPageCheck
    {
        CheckId = c.Id, SortOrder = i, GroupId = i < 10 ? null : page.Groups[(i - 10) * 4 / Math.Max(1, count - 10)].Id,
    })];
    await db.SaveChangesAsync();

    // 90 days of daily rollups and 7 days of hourly ones: mostly up, some days with downtime or maintenance.
    var random = new Random(42);
    var today = RollupMath.DayOf(now);
    var hour = RollupMath.HourOf(now);
    foreach (var check in checks)
    {
        for (var d = 0; d < 90; d++)
        {
            var down = random.Next(30) == 0 ? random.Next(1, 90) * 60_000L : 0;
            var maintenance = random.Next(60) == 0 ? 60 * 60_000L : 0;
            db.DailyRollups.Add(Rollup<CheckDailyRollup>(check.Id, today.AddDays(-d), 86_400_000, down, maintenance, random, 1440));
        }

        for (var h = 0; h < 7 * 24; h++)
        {
            db.HourlyRollups.Add(Rollup<CheckHourlyRollup>(check.Id, hour.AddHours(-h), 3_600_000, 0, 0, random, 60));
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }

    // Three resolved incidents in the last 90 days, one open, a maintenance window under way.
    for (var i = 0; i < 4; i++)
    {
        var at = i == 3 ? now.AddMinutes(-20) : today.AddDays(-(5 + i * 20)).AddHours(9);
        db.Incidents.Add(new Incident
        {
            TeamId = teamId, StatusPageId = page.Id, Title = i == 3 ? "Mail delivery delayed" : $"Database unreachable ({i + 1})",
            Status = i == 3 ? IncidentStatus.Identified : IncidentStatus.Resolved, Impact = IncidentImpact.Major,
            CreatedAt = at, ResolvedAt = i == 3 ? null : at.AddMinutes(42), CheckId = checks[i * 3].Id,
            Updates =
            [
                new() { Status = IncidentStatus.Investigating, Body = "We are looking into **failed connections** to this service.", At = at },
                new() { Status = i == 3 ? IncidentStatus.Identified : IncidentStatus.Resolved, Body = i == 3 ? "A queue is full; we are draining it." : "This service is operating normally again.", At = at.AddMinutes(i == 3 ? 10 : 42) },
            ],
            Components = [new() { CheckId = checks[i * 3].Id, Status = ComponentStatus.MajorOutage }, new() { CheckId = checks[i * 3 + 1].Id, Status = ComponentStatus.PartialOutage }],
        });
    }

    db.Maintenances.Add(new Maintenance
    {
        TeamId = teamId, StatusPageId = page.Id, Title = "Database upgrade", Body = "PostgreSQL 15 → 16; **read-only** for a few minutes.",
        StartsAt = now.AddMinutes(-10), EndsAt = now.AddHours(1), TimeZone = "Europe/Berlin", CreatedAt = now.AddDays(-2),
        Components = [new() { CheckId = checks[20].Id }],
    });
    await db.SaveChangesAsync();
    return (slug, [.. checks.Select(c => c.Id)]);
}

// A page of `count` checks; each copies the history of one of the first page's checks, in the database
// (INSERT … SELECT with the names EF Core maps, so it works on either provider).
static async Task<string> SeedBigPageAsync(WatchtowerApp app, int count, int[] templates)
{
    await using var scope = app.CreateScope(out var db);
    var teamId = await NewTeamAsync(db, "Acme at scale");
    db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10)); // the history copy writes about a million rows
    var now = DateTimeOffset.UtcNow;
    var ids = new List<int>();
    for (var from = 0; from < count; from += 1000)
    {
        var batch = Enumerable.Range(from, Math.Min(1000, count - from)).Select(n => new Check
        {
            TeamId = teamId, Name = $"Service {n:0000} · order intake",
            Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = $"host-{n:0000}.example", Port = 25 },
            State = n % 100 == 1 ? CheckState.Down : CheckState.Up, LastCheckedAt = now.AddSeconds(-(n % 60)),
            LastLatencyMs = 10 + (n % 300), CreatedAt = now.AddDays(-120), NextRunAt = now.AddYears(1),
        }).ToList();
        db.Checks.AddRange(batch);
        await db.SaveChangesAsync();
        ids.AddRange(batch.Select(c => c.Id));
        db.ChangeTracker.Clear();
    }

    var slug = $"big-{Guid.NewGuid():N}"[..20];
    db.StatusPages.Add(new StatusPage
    {
        TeamId = teamId, Name = "Acme at scale", Slug = slug, CreatedAt = now,
        Checks = [.. ids.Select((id, i) => new StatusPageCheck { CheckId = id, SortOrder = i })],
    });
    await db.SaveChangesAsync();

    foreach (var type in new[] { typeof(CheckDailyRollup), typeof(CheckHourlyRollup) })
    {
        var entity = db.Model.FindEntityType(type)!;
        var table = entity.GetTableName()!;
        var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, entity.GetSchema());
        var checkColumn = entity.FindProperty(nameof(CheckRollup.CheckId))!.GetColumnName(store)!;
        var columns = entity.GetProperties().Select(p => p.GetColumnName(store)).OfType<string>().Where(c => c != checkColumn).ToList();
        string Q(string name) => $"\"{name}\"";
        var list = string.Join(", ", columns.Select(Q));
        var checkTable = db.Model.FindEntityType(typeof(Check))!;
        var checkStore = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(checkTable.GetTableName()!, checkTable.GetSchema());
        var checkId = checkTable.FindProperty(nameof(Check.Id))!.GetColumnName(checkStore)!;
        var checkTeam = checkTable.FindProperty(nameof(Check.TeamId))!.GetColumnName(checkStore)!;
        // Check n copies template n mod count(templates): join on the id's remainder.
#pragma warning disable EF1003 // names from the model, numbers from this program: nothing user-supplied
        await db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO {Q(table)} ({Q(checkColumn)}, {list}) " +
            $"SELECT c.{Q(checkId)}, {string.Join(", ", columns.Select(c => "r." + Q(c)))} FROM {Q(checkTable.GetTableName()!)} c " +
            $"JOIN {Q(table)} r ON r.{Q(checkColumn)} = {templates.Min()} + (c.{Q(checkId)} % {templates.Length}) " +
            $"WHERE c.{Q(checkTeam)} = {teamId}");
#pragma warning restore EF1003
    }

    return slug;
}

static T Rollup<T>(int checkId, DateTimeOffset start, long observedMs, long downMs, long maintenanceMs, Random random, int runs) where T : CheckRollup, new()
{
    var row = new T
    {
        CheckId = checkId, Start = start, ObservedMs = observedMs, DownMs = downMs, MaintenanceMs = maintenanceMs, UpMs = observedMs - downMs - maintenanceMs,
        RunsUp = runs - (int)(downMs / 60_000), RunsDown = (int)(downMs / 60_000),
    };
    // Latencies spread over the histogram's buckets in one pass (the sums are what the page reads).
    for (var i = 0; i < 12; i++)
    {
        var ms = 20 + random.Next(60) + (random.Next(20) == 0 ? 400 : 0);
        row.LatencyBuckets = LatencyHistogram.Add(row.LatencyBuckets, ms);
        row.LatencyCount++;
        row.LatencySumMs += ms;
        row.LatencyMinMs = Math.Min(row.LatencyMinMs ?? int.MaxValue, ms);
        row.LatencyMaxMs = Math.Max(row.LatencyMaxMs ?? 0, ms);
    }

    return row;
}

internal sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);

/// <summary>Times reads with a "p" query (the bench's uncached renders) from the first middleware to the last byte, by path.</summary>
internal sealed class RenderTiming(ConcurrentDictionary<string, List<double>> times) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            if (!context.Request.Query.ContainsKey("p"))
            {
                await inner(context);
                return;
            }

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
