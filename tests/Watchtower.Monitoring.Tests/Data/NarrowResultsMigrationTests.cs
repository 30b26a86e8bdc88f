using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Monitoring.Retention;
using Watchtower.Probes;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Data;

/// <summary>
/// Results of the version before narrow rows come out of the NarrowResults migration each as a narrow
/// row with the same check, time, status, reason, latency and (when not up) message; the latest
/// run's facts land on its check and a run's facts on the state change it caused. On PostgreSQL the
/// rows sit in their days' partitions.
/// </summary>
public abstract class NarrowResultsMigrationTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = new(2027, 2, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed record Old(int CheckId, DateTimeOffset At, string Status, string Reason, string Message, int? Latency);

    /// <summary>The old rows, oldest first; two of check 1 at the same instant (the old table allowed it).</summary>
    private static readonly Old[] OldRows =
    [
        new(1, Day1, "Up", "None", "Port 5432 is open (connected in 3 ms).", 3),
        new(1, Day1.AddMinutes(1), "Down", "Refused", "Connection refused on port 5432.", null),
        new(1, Day1.AddMinutes(1), "Down", "Refused", "Connection refused on port 5432.", null),
        new(2, Day1.AddMinutes(2), "Up", "None", "https://shop.example.com/ answered 200 OK (10 bytes).", 40),
        new(1, Day2, "Down", "Timeout", "No answer within 10 s.", null),
        new(2, Day2.AddHours(1), "Degraded", "Slow", "https://shop.example.com/ answered 503 (9 bytes). Slow: first byte 900 ms (threshold 500 ms).", 900),
    ];

    protected abstract TestStore Store { get; }

    /// <summary>An insert with parameters for the values given and NULL for the others.</summary>
    private static Task InsertAsync(UpgradeDatabase database, string table, CancellationToken ct, params (string Column, object? Value)[] values)
    {
        var parameters = new List<object>();
        var placeholders = values.Select(v =>
        {
            if (v.Value is null)
            {
                return "NULL";
            }

            parameters.Add(v.Value);
            return $"{{{parameters.Count - 1}}}";
        }).ToList();
        return database.ExecuteAsync(
            $"INSERT INTO {table} ({string.Join(", ", values.Select(v => $"\"{v.Column}\""))}) VALUES ({string.Join(", ", placeholders)})", ct, [.. parameters]);
    }

    private async Task<UpgradeDatabase> OldDatabaseAsync(CancellationToken ct)
    {
        var database = await UpgradeDatabase.CreateAsync(Store, ct);
        await database.MigrateToAsync("_Incidents", ct);
        var (yes, no) = Store == TestStore.Postgres ? ("TRUE", "FALSE") : ("1", "0");
        var created = database.Timestamp(Day1.AddDays(-1));
        await database.ExecuteAsync($$"""INSERT INTO teams ("Id", "Name", "CreatedAt", "RequireTwoFactor") VALUES (1, 'Acme', {0}, {{no}})""", ct, created);
        var tcp = """{"Host":"db.example.com","Port":5432,"Service":"PortOpen","StartTls":false,"ImplicitTls":false,"CertificateName":null,"Send":null,"SendFormat":"Text","Expect":null,"ExpectMode":"Contains","ReadTimeoutSeconds":5,"CertificateWarningDays":14}""";
        foreach (var id in new[] { 1, 2, 3 })
        {
            await database.ExecuteAsync($$"""
                INSERT INTO checks ("Id", "TeamId", "Name", "Kind", "tcp", "IntervalSeconds", "TimeoutSeconds", "Enabled", "ShowTargetOnStatusPage", "Location",
                    "FailureThreshold", "RecoveryThreshold", "CreatedAt", "NextRunAt", "State", "LastReason", "ConsecutiveFailures", "ConsecutiveSuccesses"{{(Store == TestStore.Sqlite ? ", \"Version\"" : "")}})
                VALUES ({{id}}, 1, 'check {{id}}', 'Tcp', '{{tcp.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)}}', 60, 10, {{yes}}, {{no}}, 'default',
                    1, 1, {0}, {0}, 'Down', 'None', 0, 0{{(Store == TestStore.Sqlite ? ", 0" : "")}})
                """, ct, created);
        }

        foreach (var row in OldRows)
        {
            var latestOfCheck1 = row == OldRows[4];
            var latestOfCheck2 = row == OldRows[5];
            await InsertAsync(database, "check_results", ct,
                ("CheckId", row.CheckId), ("CheckedAt", database.Timestamp(row.At)), ("Status", row.Status), ("Reason", row.Reason), ("Message", row.Message),
                ("LatencyMs", row.Latency), ("ConnectMs", row.CheckId == 1 ? 3 : null), ("DurationMs", row.Latency ?? 10000),
                ("RemoteEndpoint", row.CheckId == 1 ? "203.0.113.5:5432" : "198.51.100.7:443"), ("Banner", latestOfCheck1 ? "SMTP ready" : null),
                // Check 1's latest run has a certificate in its columns only (as the oldest rows kept it).
                ("CertificateSubject", latestOfCheck1 ? "CN=db.example.com" : null), ("CertificateIssuer", latestOfCheck1 ? "CN=Example CA" : null),
                ("CertificateNotAfter", latestOfCheck1 ? database.Timestamp(NotAfter) : null), ("CertificateValid", latestOfCheck1 ? false : null),
                ("CertificateProblem", latestOfCheck1 ? "the name does not match" : null), ("TlsProtocol", latestOfCheck1 ? "Tls12" : null),
                ("FactsJson", latestOfCheck2
                    ? """{"http":{"statusCode":503,"finalUrl":"https://shop.example.com/","redirects":[],"bodyBytes":9},"certificate":{"subject":"CN=shop.example.com","issuer":"CN=R3","valid":true,"problem":""}}"""
                    : null));
        }

        // Check 1 went down with the run at Day1 + 1 min, and was paused later by its owner.
        await database.ExecuteAsync("""
            INSERT INTO check_state_changes ("CheckId", "At", "From", "To", "Reason") VALUES
                (1, {0}, 'Up', 'Down', 'Connection refused on port 5432.'), (1, {1}, 'Down', 'Paused', 'Paused by ann@example.com')
            """, ct, database.Timestamp(Day1.AddMinutes(1)), database.Timestamp(Day1.AddMinutes(30)));
        return database;
    }

    [Fact]
    public async Task Every_result_is_kept_narrow_and_the_facts_move_to_the_check_and_its_state_changes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await OldDatabaseAsync(ct);

        await database.MigrateToAsync(null, ct);

        await using var db = database.NewContext();
        var rows = await db.CheckResults.AsNoTracking().OrderBy(r => r.CheckedAt).ThenBy(r => r.CheckId)
            .Select(r => new { r.CheckId, r.CheckedAt, r.Status, r.Reason, r.LatencyMs, Message = db.ResultMessages.Where(m => m.Id == r.MessageId).Select(m => m.Text).FirstOrDefault() })
            .ToListAsync(ct);
        Assert.Equal(OldRows.Length, rows.Count);
        for (var i = 0; i < OldRows.Length; i++)
        {
            var (old, row) = (OldRows[i], rows[i]);
            Assert.Equal(
                (old.CheckId, Enum.Parse<CheckState>(old.Status), Enum.Parse<FailureReason>(old.Reason), old.Latency, old.Status == "Up" ? null : old.Message),
                (row.CheckId, row.Status, row.Reason, row.LatencyMs, row.Message));
            // The second of two rows at one instant moves by the store's smallest step, no more.
            Assert.InRange(row.CheckedAt, old.At, old.At.AddMilliseconds(1));
        }

        Assert.Equal(Day1.AddMinutes(1), rows[1].CheckedAt);
        Assert.True(rows[2].CheckedAt > rows[1].CheckedAt);

        // Each message of a run that was not up is stored once, marked used on the day of its latest run.
        var messages = (await db.ResultMessages.AsNoTracking().ToListAsync(ct)).OrderBy(m => m.Text, StringComparer.Ordinal);
        Assert.Equal(
            [("Connection refused on port 5432.", DateOnly.FromDateTime(Day1.UtcDateTime)), ("No answer within 10 s.", DateOnly.FromDateTime(Day2.UtcDateTime)),
                ("https://shop.example.com/ answered 503 (9 bytes). Slow: first byte 900 ms (threshold 500 ms).", DateOnly.FromDateTime(Day2.UtcDateTime))],
            messages.Select(m => (m.Text, m.LastUsedOn)));

        // The latest run's facts, from its columns and its FactsJson.
        var checks = await db.Checks.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var first = ResultFacts.Parse(checks[0].LastFacts);
        Assert.NotNull(first);
        Assert.Equal((FailureReason.Timeout, "203.0.113.5:5432", "SMTP ready", "Tls12", 3, 10000),
            (first.Reason, first.RemoteEndpoint, first.Banner, first.TlsProtocol, first.Timings?.ConnectMs, first.Timings?.TotalMs));
        Assert.Equal(("CN=db.example.com", "CN=Example CA", NotAfter, false, "the name does not match"),
            (first.Certificate?.Subject, first.Certificate?.Issuer, first.Certificate?.NotAfter, first.Certificate?.Valid, first.Certificate?.Problem));
        var second = ResultFacts.Parse(checks[1].LastFacts);
        Assert.Equal((FailureReason.Slow, 503, "CN=shop.example.com", "198.51.100.7:443", (int?)null),
            (second?.Reason, second?.Http?.StatusCode, second?.Certificate?.Subject, second?.RemoteEndpoint, second?.Timings?.ConnectMs));
        Assert.Null(checks[2].LastFacts);

        // The change a run caused carries that run's facts; the owner's pause has none.
        var changes = await db.CheckStateChanges.AsNoTracking().OrderBy(s => s.At).ToListAsync(ct);
        var wentDown = ResultFacts.Parse(changes[0].Facts);
        Assert.Equal((FailureReason.Refused, "203.0.113.5:5432", "Connection refused on port 5432."), (wentDown?.Reason, wentDown?.RemoteEndpoint, changes[0].Reason));
        Assert.Null(changes[1].Facts);

        if (Store == TestStore.Postgres)
        {
            // Every row in its day's partition; the days ahead made too.
            var days = await ResultPartitions.ListAsync(db, ct);
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            Assert.Contains(DateOnly.FromDateTime(Day1.UtcDateTime), days);
            Assert.Contains(DateOnly.FromDateTime(Day2.UtcDateTime), days);
            Assert.Superset(Enumerable.Range(0, ResultRetention.DaysAhead + 1).Select(d => today.AddDays(d)).ToHashSet(), days);
            Assert.Equal(0, (await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM check_results_default").ToListAsync(ct)).Single());
        }
    }

    [Fact]
    public async Task Going_back_a_version_brings_the_verdicts_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await OldDatabaseAsync(ct);
        await database.MigrateToAsync(null, ct);

        await database.MigrateToAsync("_Incidents", ct);

        await using var db = database.NewContext();
        var rows = await db.Database.SqlQuery<string>($"""
            SELECT "Status" || ' ' || "Reason" || ' ' || "Message" AS "Value" FROM check_results ORDER BY "CheckedAt", "CheckId"
            """).ToListAsync(ct);
        Assert.Equal(OldRows.Select(r => $"{r.Status} {r.Reason} {(r.Status == "Up" ? "" : r.Message)}"), rows);
    }
}

public sealed class NarrowResultsMigrationTests_Sqlite : NarrowResultsMigrationTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class NarrowResultsMigrationTests_Postgres : NarrowResultsMigrationTests
{
    protected override TestStore Store => TestStore.Postgres;
}
