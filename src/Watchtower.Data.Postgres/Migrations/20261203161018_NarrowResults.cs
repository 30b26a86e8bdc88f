using System;
using System.Linq;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Watchtower.Data.Postgres.Migrations
{
    /// <summary>
    /// Raw results become narrow and partitioned by day: every old row becomes a new one with the
    /// same check, time, status, reason, latency and (for non-up runs) message, the message stored
    /// once in result_messages; the latest run's full facts go onto its check, and each state
    /// change caused by a run gets that run's facts. EF's model maps check_results as a plain
    /// table; the partitioned table is created here with SQL.
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

        /// <summary>Day partitions made ahead of today, as the retention service does (ResultRetention.DaysAhead).</summary>
        private const int DaysAhead = 3;

        /// <summary>
        /// An old row's facts in the shape ResultFacts reads: its FactsJson (kind facts and the
        /// certificate) with the common columns added; the certificate from its columns if the JSON
        /// lacks it.
        /// </summary>
        private const string FactsOfOldRow = """
            (COALESCE(o."FactsJson"::jsonb, '{}'::jsonb)
             || CASE WHEN o."CertificateSubject" IS NULL OR (o."FactsJson"::jsonb -> 'certificate') IS NOT NULL THEN '{}'::jsonb
                     ELSE jsonb_build_object('certificate', jsonb_strip_nulls(jsonb_build_object(
                         'subject', o."CertificateSubject", 'issuer', COALESCE(o."CertificateIssuer", ''), 'notAfter', o."CertificateNotAfter",
                         'valid', COALESCE(o."CertificateValid", FALSE), 'problem', COALESCE(o."CertificateProblem", '')))) END
             || jsonb_strip_nulls(jsonb_build_object(
                 'reason', o."Reason",
                 'timings', jsonb_strip_nulls(jsonb_build_object('dnsMs', o."DnsMs", 'connectMs', o."ConnectMs", 'tlsMs', o."TlsMs",
                     'firstByteMs', o."FirstByteMs", 'totalMs', o."DurationMs")),
                 'remoteEndpoint', o."RemoteEndpoint", 'banner', o."Banner", 'tlsProtocol', o."TlsProtocol")))::text
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
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Facts",
                table: "check_state_changes",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "result_messages",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Text = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    LastUsedOn = table.Column<DateOnly>(type: "date", nullable: false)
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

            migrationBuilder.Sql("""
                ALTER TABLE check_results RENAME TO check_results_old;
                ALTER TABLE check_results_old RENAME CONSTRAINT "PK_check_results" TO "PK_check_results_old";

                -- Widest columns first: no byte is lost to alignment padding.
                CREATE TABLE check_results (
                    "CheckedAt" timestamp with time zone NOT NULL,
                    "CheckId" integer NOT NULL,
                    "LatencyMs" integer NULL,
                    "MessageId" integer NULL,
                    "Status" smallint NOT NULL,
                    "Reason" smallint NOT NULL,
                    CONSTRAINT "PK_check_results" PRIMARY KEY ("CheckId", "CheckedAt"),
                    CONSTRAINT "FK_check_results_checks_CheckId" FOREIGN KEY ("CheckId") REFERENCES checks ("Id") ON DELETE CASCADE
                ) PARTITION BY RANGE ("CheckedAt");
                CREATE TABLE check_results_default PARTITION OF check_results DEFAULT;
                """);

            // A partition for each day the old rows cover, and from yesterday to a few days ahead.
            migrationBuilder.Sql($$"""
                DO $$
                DECLARE day date;
                BEGIN
                    FOR day IN
                        SELECT DISTINCT ("CheckedAt" AT TIME ZONE 'UTC')::date FROM check_results_old
                        UNION
                        SELECT d::date FROM generate_series((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + {{DaysAhead}}, interval '1 day') AS d
                    LOOP
                        EXECUTE format('CREATE TABLE %I PARTITION OF check_results FOR VALUES FROM (%L) TO (%L)',
                            'check_results_' || to_char(day, 'YYYYMMDD'), to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
                    END LOOP;
                END $$;
                """);

            // Each message once, last used on the day of its latest result.
            migrationBuilder.Sql("""
                INSERT INTO result_messages ("Text", "LastUsedOn")
                SELECT "Message", max("CheckedAt" AT TIME ZONE 'UTC')::date FROM check_results_old WHERE "Status" <> 'Up' GROUP BY "Message";
                """);

            // Every row, none lost: two rows of one check at the same instant (the old table allowed
            // that) keep both, the later id a microsecond later.
            migrationBuilder.Sql($"""
                INSERT INTO check_results ("CheckedAt", "CheckId", "LatencyMs", "MessageId", "Status", "Reason")
                SELECT o."CheckedAt" + o.duplicate * interval '1 microsecond', o."CheckId", o."LatencyMs", m."Id",
                    {Numbered("o.\"Status\"", States)}, {Numbered("o.\"Reason\"", Reasons)}
                FROM (SELECT *, row_number() OVER (PARTITION BY "CheckId", "CheckedAt" ORDER BY "Id") - 1 AS duplicate FROM check_results_old) o
                LEFT JOIN result_messages m ON o."Status" <> 'Up' AND m."Text" = o."Message";
                """);

            migrationBuilder.Sql($"""
                UPDATE checks c SET "LastFacts" = (
                    SELECT {FactsOfOldRow} FROM check_results_old o WHERE o."CheckId" = c."Id" ORDER BY o."CheckedAt" DESC, o."Id" DESC LIMIT 1);
                UPDATE check_state_changes s SET "Facts" = (
                    SELECT {FactsOfOldRow} FROM check_results_old o WHERE o."CheckId" = s."CheckId" AND o."CheckedAt" = s."At" ORDER BY o."Id" DESC LIMIT 1);
                DROP TABLE check_results_old;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE check_results RENAME TO check_results_new;
                ALTER TABLE check_results_new RENAME CONSTRAINT "PK_check_results" TO "PK_check_results_new";
                """);

            migrationBuilder.CreateTable(
                name: "check_results",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CheckId = table.Column<int>(type: "integer", nullable: false),
                    CheckedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Message = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    LatencyMs = table.Column<int>(type: "integer", nullable: true),
                    DnsMs = table.Column<int>(type: "integer", nullable: true),
                    ConnectMs = table.Column<int>(type: "integer", nullable: true),
                    TlsMs = table.Column<int>(type: "integer", nullable: true),
                    FirstByteMs = table.Column<int>(type: "integer", nullable: true),
                    DurationMs = table.Column<int>(type: "integer", nullable: false),
                    RemoteEndpoint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Banner = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CertificateSubject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CertificateIssuer = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CertificateNotAfter = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CertificateValid = table.Column<bool>(type: "boolean", nullable: true),
                    CertificateProblem = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    TlsProtocol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    FactsJson = table.Column<string>(type: "text", nullable: true)
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
