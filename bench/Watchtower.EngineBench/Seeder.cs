using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Probes.Tcp;

namespace Watchtower.EngineBench;

/// <summary>Table and column names, taken from the app's own model so a rename follows automatically.</summary>
public sealed record SchemaNames(string ChecksTable, string CheckId, string NextRunAt, string ResultsTable, string ResultCheckId, string ResultCheckedAt)
{
    public static SchemaNames FromModel(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var db = Seeder.CreateContext("Host=127.0.0.1;Database=unused");
        var check = db.Model.FindEntityType(typeof(Check))!;
        var result = db.Model.FindEntityType(typeof(CheckResult))!;
        var checkTable = StoreObjectIdentifier.Table(check.GetTableName()!, check.GetSchema());
        var resultTable = StoreObjectIdentifier.Table(result.GetTableName()!, result.GetSchema());
        return new SchemaNames(
            Qualified(check.GetSchema(), check.GetTableName()!),
            Quote(check.FindProperty(nameof(Check.Id))!.GetColumnName(checkTable)!),
            Quote(check.FindProperty(nameof(Check.NextRunAt))!.GetColumnName(checkTable)!),
            settings.ResultsTable ?? Qualified(result.GetSchema(), result.GetTableName()!),
            settings.ResultsCheckColumn ?? Quote(result.FindProperty(nameof(CheckResult.CheckId))!.GetColumnName(resultTable)!),
            settings.ResultsTimeColumn ?? Quote(result.FindProperty(nameof(CheckResult.CheckedAt))!.GetColumnName(resultTable)!));
    }

    private static string Qualified(string? schema, string table) => schema is null ? Quote(table) : $"{Quote(schema)}.{Quote(table)}";

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

/// <summary>
/// Seeds the run's database through the app's own entities: one owner (who can sign in), one team,
/// N TCP port-open checks and a public status page. Checks are written with their first run a
/// day ahead (so nothing runs while the processes start) and later moved to their first slot in one
/// statement (<see cref="StartSchedule"/>).
/// </summary>
public static class Seeder
{
    public const string OwnerEmail = "bench-owner@example.com";
    public const string OwnerPassword = "engine bench password";
    public const string PageSlug = "bench";
    private static readonly TimeSpan Parked = TimeSpan.FromDays(1);

    public static WatchtowerDbContext CreateContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<WatchtowerDbContext>();
        DataServiceCollectionExtensions.Configure(options, new DatabaseSettings(DatabaseProvider.Postgres, connectionString, false));
        return new WatchtowerDbContext(options.Options);
    }

    /// <summary>Returns each check's target kind by id.</summary>
    public static async Task<Dictionary<int, TargetKind>> SeedAsync(string connectionString, BenchSettings settings, TargetFarm farm, DateTimeOffset parkedBase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(farm);
        await using var db = CreateContext(connectionString);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var now = DateTimeOffset.UtcNow;
        var owner = new WatchtowerUser
        {
            UserName = OwnerEmail, NormalizedUserName = OwnerEmail.ToUpperInvariant(),
            Email = OwnerEmail, NormalizedEmail = OwnerEmail.ToUpperInvariant(), EmailConfirmed = true,
            SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString(), CreatedAt = now,
        };
        owner.PasswordHash = new PasswordHasher<WatchtowerUser>().HashPassword(owner, OwnerPassword);
        db.Users.Add(owner);
        await db.SaveChangesAsync(cancellationToken);
        var team = new Team { Name = "Engine bench", CreatedAt = now, CreatedByUserId = owner.Id, Members = [new TeamMember { UserId = owner.Id, Role = TeamRole.Owner, JoinedAt = now }] };
        db.Teams.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        owner.CurrentTeamId = team.Id;
        db.Update(owner);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        // Kinds shuffled (fixed seed) so every part of the interval has the same mix.
        var kinds = Enumerable.Repeat(TargetKind.Answering, settings.AnsweringChecks)
            .Concat(Enumerable.Repeat(TargetKind.Refusing, settings.RefusingChecks))
            .Concat(Enumerable.Repeat(TargetKind.Timeout, settings.TimeoutChecks)).ToArray();
        new Random(20261203).Shuffle(kinds);
        var used = new Dictionary<TargetKind, int>();
        Target Next(TargetKind kind)
        {
            var list = kind switch { TargetKind.Answering => farm.Answering, TargetKind.Refusing => farm.Refusing, _ => farm.Timeout };
            var n = used.GetValueOrDefault(kind);
            used[kind] = n + 1;
            return list[n % list.Count];
        }

        var step = settings.Interval.TotalMilliseconds / settings.Checks;
        var byId = new Dictionary<int, TargetKind>(settings.Checks);
        const int chunk = 1000;
        for (var start = 0; start < settings.Checks; start += chunk)
        {
            var batch = Enumerable.Range(start, Math.Min(chunk, settings.Checks - start)).Select(i =>
            {
                var target = Next(kinds[i]);
                return (Kind: kinds[i], Check: new Check
                {
                    TeamId = team.Id,
                    Name = $"bench {i} {kinds[i].ToString().ToLowerInvariant()}",
                    Settings = new TcpSettings { Host = target.Address.ToString(), Port = target.Port, Service = TcpService.PortOpen },
                    IntervalSeconds = (int)settings.Interval.TotalSeconds,
                    TimeoutSeconds = (int)settings.Timeout.TotalSeconds,
                    CreatedAt = now,
                    NextRunAt = parkedBase + Parked + TimeSpan.FromMilliseconds((i + 0.5) * step),
                });
            }).ToList();
            db.Checks.AddRange(batch.Select(b => b.Check));
            await db.SaveChangesAsync(cancellationToken);
            foreach (var (kind, check) in batch)
            {
                byId[check.Id] = kind;
            }

            db.ChangeTracker.Clear();
        }

        var pageChecks = byId.Keys.Order().Take(settings.PageChecks).ToList();
        db.StatusPages.Add(new StatusPage
        {
            TeamId = team.Id, Name = "Engine bench", Slug = PageSlug, CreatedAt = now,
            Checks = pageChecks.Select((id, n) => new StatusPageCheck { CheckId = id, SortOrder = n }).ToList(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return byId;
    }

    /// <summary>
    /// Moves every check's first run from the parked day-ahead time to its first slot after
    /// <paramref name="firstSlot"/>, in one statement, and returns each check's first due time: its
    /// phase. The slots are the engine's own (<see cref="Schedule.NextSlot"/>: a phase derived from
    /// the check id, on the Unix clock), because after its first run the engine schedules every
    /// check there whatever the harness wrote; so the checks are spread as the engine spreads them.
    /// </summary>
    public static async Task<Dictionary<int, DateTimeOffset>> StartSchedule(string connectionString, SchemaNames names, int intervalSeconds, DateTimeOffset firstSlot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var ids = new List<int>();
        await using (var read = new NpgsqlCommand($"SELECT {names.CheckId} FROM {names.ChecksTable}", connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt32(0));
            }
        }

        var phases = ids.ToDictionary(id => id, id => Schedule.NextSlot(id, intervalSeconds, firstSlot));
        await using var command = new NpgsqlCommand(
            $"UPDATE {names.ChecksTable} c SET {names.NextRunAt} = p.due FROM unnest(@ids, @due) AS p(id, due) WHERE c.{names.CheckId} = p.id", connection);
        command.Parameters.AddWithValue("ids", phases.Keys.ToArray());
        command.Parameters.AddWithValue("due", phases.Values.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
        return phases;
    }
}
