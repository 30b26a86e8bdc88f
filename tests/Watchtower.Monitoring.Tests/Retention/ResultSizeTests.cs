using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Probes;
using Watchtower.Probes.Tcp;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Retention;

/// <summary>
/// A stored result costs at most 100 bytes on PostgreSQL, table and indexes (and their free-space
/// and visibility maps) included, written the way the engine writes them: every check once per
/// round, the checks of a round in random order, many results per save, a tenth of the checks down
/// (their rows refer to a message). 20,000 results of 200 checks, so each check's key range spans
/// several index pages, as it does in a real day.
/// </summary>
public sealed class ResultSizeTests : RetentionTestBase
{
    private const int Checks = 200;
    private const int Rounds = 100;
    private const int PerSave = 500; // ResultWriter.MaxBatch

    public const double MaxBytesPerResult = 100;

    protected override TestStore Store => TestStore.Postgres;

    [Fact]
    public async Task A_stored_result_takes_at_most_100_bytes_indexes_included()
    {
        // Results of the last hour and a bit: they land in today's (and maybe yesterday's) partitions, made by the migration.
        var start = WholeSecond(DateTimeOffset.UtcNow.AddMinutes(-55));
        int[] ids;
        int messageId;
        await using (var scope = App.CreateScope(out var db))
        {
            var checks = Enumerable.Range(0, Checks).Select(n => new Check
            {
                TeamId = TeamId, Name = $"size {n}", Settings = new TcpSettings { Host = "127.0.0.1", Port = 1000 + n }, IntervalSeconds = 30,
                TimeoutSeconds = 5, NextRunAt = start.AddYears(1), CreatedAt = start,
            }).ToList();
            db.Checks.AddRange(checks);
            var message = new ResultMessage { Text = "Connection refused on port 1000.", LastUsedOn = Day(start) };
            db.ResultMessages.Add(message);
            await db.SaveChangesAsync(Cancel);
            ids = [.. checks.Select(c => c.Id)];
            messageId = message.Id;
        }

        var random = new Random(9);
        var pending = new List<CheckResult>(PerSave);
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (id, n) in ids.Select((id, n) => (id, n)).OrderBy(_ => random.Next()))
            {
                var down = n % 10 == 0;
                pending.Add(new CheckResult
                {
                    CheckId = id,
                    CheckedAt = start.AddSeconds((round * 30) + (n % 30)).AddTicks(random.Next(10_000_000) / 10 * 10),
                    Status = down ? CheckState.Down : CheckState.Up,
                    Reason = down ? FailureReason.Refused : FailureReason.None,
                    LatencyMs = down ? null : random.Next(1, 400),
                    MessageId = down ? messageId : null,
                });
                if (pending.Count == PerSave)
                {
                    await SaveAsync(pending);
                }
            }
        }

        await SaveAsync(pending);

        await using (var scope = App.CreateScope(out var db))
        {
            // What autovacuum does to a table that is only inserted into: its maps count too.
            await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE) check_results", Cancel);
            var rows = (await db.Database.SqlQueryRaw<long>("""SELECT count(*) AS "Value" FROM check_results""").ToListAsync(Cancel)).Single();
            var size = (await db.Database.SqlQueryRaw<Size>("""
                SELECT sum(pg_total_relation_size(c.oid))::bigint AS "Total", sum(pg_relation_size(c.oid))::bigint AS "Heap", sum(pg_indexes_size(c.oid))::bigint AS "Indexes"
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'check_results'::regclass
                """).ToListAsync(Cancel)).Single();
            Assert.Equal(Checks * Rounds, rows);

            var perResult = size.Total / (double)rows;
            TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
                $"{rows} results: {perResult:F1} bytes each (heap {size.Heap / (double)rows:F1}, indexes {size.Indexes / (double)rows:F1}, maps and empty partitions {(size.Total - size.Heap - size.Indexes) / (double)rows:F1})"));
            Assert.True(perResult <= MaxBytesPerResult, string.Create(CultureInfo.InvariantCulture,
                $"{perResult:F1} bytes per result (heap {size.Heap}, indexes {size.Indexes}, total {size.Total} for {rows} rows)"));
        }
    }

    private async Task SaveAsync(List<CheckResult> rows)
    {
        await using var scope = App.CreateScope(out var db);
        db.CheckResults.AddRange(rows);
        await db.SaveChangesAsync(Cancel);
        rows.Clear();
    }

    private sealed record Size(long Total, long Heap, long Indexes);
}
