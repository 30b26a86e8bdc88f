using System;
using System.Linq;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watchtower.Data.Sqlite.Migrations
{
    /// <summary>
    /// Raw results become narrow: every old row becomes a new one with the same check, time, status,
    /// reason, latency and (for non-up runs) message, the message stored once in result_messages;
    /// the latest run's full facts go onto its check, and each state change caused by a run gets
    /// that run's facts.
    /// </summary>
    public partial class NarrowResults : Migration
    {
        // Frozen here: the names the old rows hold, and the numbers the new ones store.
        private static readonly string[] States = ["Pending", "Up", "Degraded", "Down", "Paused"];

        private static readonly string[] Reasons =
        [
            "None", "Dns", "Blocked", "Refused", "Timeout", "Unreachable", "Reset", "Tls", "Silent",
            "UnexpectedResponse", "Error", "Status", "Keyword", "Seo", "CertificateExpiring", "Slow",
        ];

        /// <summary>
        /// Unix seconds of a time as EF's DateTimeOffsetToBinaryConverter stores it: the clock's ticks
        /// divided by 1000 above 11 bits of offset in minutes.
        /// </summary>
        private static string UnixSeconds(string column) =>
            $"((({column} >> 11) * 1000 - (({column} << 53) >> 53) * 600000000) - 621355968000000000) / 10000000";

        /// <summary>
        /// An old row's facts in the shape ResultFacts reads: its FactsJson (kind facts and the
        /// certificate) with the common columns added; the certificate from its columns if the JSON
        /// lacks it. json_patch drops the keys whose value is null.
        /// </summary>
        private static readonly string FactsOfOldRow = $$"""
            json_patch(json_patch(COALESCE(o."FactsJson", '{}'),
                CASE WHEN o."CertificateSubject" IS NULL OR json_extract(o."FactsJson", '$.certificate') IS NOT NULL THEN '{}'
                     ELSE json_object('certificate', json_object(
                         'subject', o."CertificateSubject", 'issuer', COALESCE(o."CertificateIssuer", ''),
                         'notAfter', CASE WHEN o."CertificateNotAfter" IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%SZ', {{UnixSeconds("o.\"CertificateNotAfter\"")}}, 'unixepoch') END,
                         'valid', json(CASE WHEN o."CertificateValid" THEN 'true' ELSE 'false' END), 'problem', COALESCE(o."CertificateProblem", ''))) END),
                json_object(
                    'reason', o."Reason",
                    'timings', json_object('dnsMs', o."DnsMs", 'connectMs', o."ConnectMs", 'tlsMs', o."TlsMs", 'firstByteMs', o."FirstByteMs", 'totalMs', o."DurationMs"),
                    'remoteEndpoint', o."RemoteEndpoint", 'banner', o."Banner", 'tlsProtocol', o."TlsProtocol"))
            """;

        private static string Numbered(string column, string[] names) =>
            $"CASE {column} " + string.Concat(names.Select((name, i) => $"WHEN '{name}' THEN {i} ")) + "END";

        private static string Named(string column, string[] names) =>
            $"CASE {column} " + string.Concat(names.Select((name, i) => $"WHEN {i} THEN '{name}' ")) + "END";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LastFacts",
                table: "checks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Facts",
                table: "check_state_changes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "result_messages",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    LastUsedOn = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_result_messages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_result_messages_Text",
                table: "result_messages",
                column: "Text",
                unique: true);

            migrationBuilder.Sql("ALTER TABLE check_results RENAME TO check_results_old;");

            migrationBuilder.CreateTable(
                name: "check_results",
                columns: table => new
                {
                    CheckId = table.Column<int>(type: "INTEGER", nullable: false),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LatencyMs = table.Column<int>(type: "INTEGER", nullable: true),
                    MessageId = table.Column<int>(type: "INTEGER", nullable: true),
                    Reason = table.Column<short>(type: "INTEGER", nullable: false),
                    Status = table.Column<short>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_results", x => new { x.CheckId, x.CheckedAt });
                    table.ForeignKey(
                        name: "FK_check_results_checks_CheckId",
                        column: x => x.CheckId,
                        principalTable: "checks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Each message once, last used on the day of its latest result.
            migrationBuilder.Sql($"""
                INSERT INTO result_messages ("Text", "LastUsedOn")
                SELECT "Message", strftime('%Y-%m-%d', max({UnixSeconds("\"CheckedAt\"")}), 'unixepoch')
                FROM check_results_old WHERE "Status" <> 'Up' GROUP BY "Message";
                """);

            // Every row, none lost: two rows of one check at the same instant (the old table allowed
            // that) keep both, the later id one tick of the stored time (0.1 ms) later. Inserted in
            // time order, so that rowid order is time order (retention deletes by rowid).
            migrationBuilder.Sql($"""
                INSERT INTO check_results ("CheckedAt", "CheckId", "LatencyMs", "MessageId", "Status", "Reason")
                SELECT o."CheckedAt" + (o.duplicate << 11), o."CheckId", o."LatencyMs", m."Id",
                    {Numbered("o.\"Status\"", States)}, {Numbered("o.\"Reason\"", Reasons)}
                FROM (SELECT *, row_number() OVER (PARTITION BY "CheckId", "CheckedAt" ORDER BY "Id") - 1 AS duplicate FROM check_results_old) o
                LEFT JOIN result_messages m ON o."Status" <> 'Up' AND m."Text" = o."Message"
                ORDER BY o."CheckedAt", o."Id";
                """);

            migrationBuilder.Sql($"""
                UPDATE checks SET "LastFacts" = (
                    SELECT {FactsOfOldRow} FROM check_results_old o WHERE o."CheckId" = checks."Id" ORDER BY o."CheckedAt" DESC, o."Id" DESC LIMIT 1);
                UPDATE check_state_changes SET "Facts" = (
                    SELECT {FactsOfOldRow} FROM check_results_old o
                    WHERE o."CheckId" = check_state_changes."CheckId" AND o."CheckedAt" = check_state_changes."At" ORDER BY o."Id" DESC LIMIT 1);
                DROP TABLE check_results_old;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE check_results RENAME TO check_results_new;");

            migrationBuilder.CreateTable(
                name: "check_results",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CheckId = table.Column<int>(type: "INTEGER", nullable: false),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    LatencyMs = table.Column<int>(type: "INTEGER", nullable: true),
                    DnsMs = table.Column<int>(type: "INTEGER", nullable: true),
                    ConnectMs = table.Column<int>(type: "INTEGER", nullable: true),
                    TlsMs = table.Column<int>(type: "INTEGER", nullable: true),
                    FirstByteMs = table.Column<int>(type: "INTEGER", nullable: true),
                    DurationMs = table.Column<int>(type: "INTEGER", nullable: false),
                    RemoteEndpoint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Banner = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    CertificateSubject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    CertificateIssuer = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    CertificateNotAfter = table.Column<long>(type: "INTEGER", nullable: true),
                    CertificateValid = table.Column<bool>(type: "INTEGER", nullable: true),
                    CertificateProblem = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    TlsProtocol = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    FactsJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_results", x => x.Id);
                    table.ForeignKey(
                        name: "FK_check_results_checks_CheckId",
                        column: x => x.CheckId,
                        principalTable: "checks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The verdicts come back; the per-run facts the narrow rows no longer held do not.
            migrationBuilder.Sql($"""
                INSERT INTO check_results ("CheckId", "CheckedAt", "Status", "Reason", "Message", "LatencyMs", "DurationMs")
                SELECT n."CheckId", n."CheckedAt", {Named("n.\"Status\"", States)}, {Named("n.\"Reason\"", Reasons)}, COALESCE(m."Text", ''), n."LatencyMs", COALESCE(n."LatencyMs", 0)
                FROM check_results_new n LEFT JOIN result_messages m ON m."Id" = n."MessageId"
                ORDER BY n."CheckedAt";
                DROP TABLE check_results_new;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_check_results_CheckId_CheckedAt",
                table: "check_results",
                columns: new[] { "CheckId", "CheckedAt" });

            migrationBuilder.DropTable(
                name: "result_messages");

            migrationBuilder.DropColumn(
                name: "LastFacts",
                table: "checks");

            migrationBuilder.DropColumn(
                name: "Facts",
                table: "check_state_changes");
        }
    }
}
