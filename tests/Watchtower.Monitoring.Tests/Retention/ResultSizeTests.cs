using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Retention;
using Watchtower.Probes;
using Watchtower.Probes.Tcp;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Retention;

/// <summary>
/// A stored result costs at most 100 bytes on PostgreSQL, table and indexes (and their free-space
/// and visibility maps) included, written the way the engine writes them: every check once per
/// round, the checks of a round in random order, many results per save, a tenth of the checks down
/// (their rows refer to a message). 20,000 results of 200 checks, so each check's key range spans
/// several index pages, as it does in a real day. Measured once the day is over and the hourly
/// pass has compacted it, which is what every kept day but today looks like; today's size is
/// printed too.
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
        // Results of a day three days ago, in its own partition (as made ahead by the hourly pass).
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-3).AddHours(10), TimeSpan.Zero);
        int[] ids;
        int messageId;
        await using (var scope = App.CreateScope(out var db))
        {
            Assert.True(await ResultPartitions.CreateAsync(db, Day(start), Cancel));
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

        var written = await MeasureAsync();
        TestContext.Current.SendDiagnosticMessage($"as written (as today's partition is): {written}");
        Assert.Equal(Checks * Rounds, written.Rows);

        // The hourly pass compacts the closed day, and only it.
        using var retention = ActivatorUtilities.CreateInstance<ResultRetention>(App.Services, TimeProvider.System);
        var pass = await retention.RunOnceAsync(Cancel);
        Assert.True(pass.PartitionsCompacted >= 1, $"{pass}");
        var uncompacted = await UncompactedBeforeAsync(Day(DateTimeOffset.UtcNow).AddDays(1));
        Assert.DoesNotContain(Day(start), uncompacted);
        Assert.Contains(Day(DateTimeOffset.UtcNow), uncompacted); // today is still being written
        Assert.Equal(0, (await retention.RunOnceAsync(Cancel)).PartitionsCompacted);

        var compacted = await MeasureAsync();
        TestContext.Current.SendDiagnosticMessage($"compacted (every closed day): {compacted}");
        Assert.Equal(Checks * Rounds, compacted.Rows);
        Assert.True(compacted.PerResult <= MaxBytesPerResult, compacted.ToString());
        Assert.True(compacted.PerResult < written.PerResult, $"compacting made it no smaller: {written} → {compacted}");
    }

    private async Task<List<DateOnly>> UncompactedBeforeAsync(DateOnly before)
    {
        await using var scope = App.CreateScope(out var db);
        return await ResultPartitions.UncompactedAsync(db, before, Cancel);
    }

    private async Task<Measured> MeasureAsync()
    {
        await using var scope = App.CreateScope(out var db);

        // What autovacuum does to a table that is only inserted into: its maps count too.
        await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE) check_results", Cancel);
        var rows = (await db.Database.SqlQueryRaw<long>("""SELECT count(*) AS "Value" FROM check_results""").ToListAsync(Cancel)).Single();
        var size = (await db.Database.SqlQueryRaw<Size>("""
            SELECT sum(pg_total_relation_size(c.oid))::bigint AS "Total", sum(pg_relation_size(c.oid))::bigint AS "Heap", sum(pg_indexes_size(c.oid))::bigint AS "Indexes"
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'check_results'::regclass
            """).ToListAsync(Cancel)).Single();
        return new Measured(rows, size);
    }

    private sealed record Measured(long Rows, Size Size)
    {
        public double PerResult => Size.Total / (double)Rows;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Rows} results, {PerResult:F1} bytes each (heap {Size.Heap / (double)Rows:F1}, indexes {Size.Indexes / (double)Rows:F1}, maps and empty partitions {(Size.Total - Size.Heap - Size.Indexes) / (double)Rows:F1})");
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
