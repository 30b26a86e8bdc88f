using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watchtower.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class KindSettings : Migration
    {
        private static readonly string[] OldColumns =
            ["CertificateWarningDays", "Expect", "ExpectMode", "Host", "Port", "ReadTimeoutSeconds", "Send", "SendFormat", "Service", "SettingsJson", "StartTls"];

        /// <summary>
        /// From the columns and the hand-parsed SettingsJson (camelCase, enums by name) of the first
        /// migration. Lines of headers and DNS values become lists; an SEO rule whose stored severity
        /// is the old form's default (the form pre-filled every rule) is left to the new default.
        /// Booleans are written as JSON true/false (SQLite keeps them as 0/1).
        /// </summary>
        private const string MoveSettings = """
            UPDATE checks SET tcp = json_object(
                'Host', Host, 'Port', Port, 'Service', Service, 'StartTls', json(CASE WHEN StartTls THEN 'true' ELSE 'false' END),
                'ImplicitTls', json('false'),
                'CertificateName', NULLIF(json_extract(SettingsJson, '$.ssl.serverName'), ''),
                'Send', Send, 'SendFormat', SendFormat, 'Expect', Expect, 'ExpectMode', ExpectMode,
                'ReadTimeoutSeconds', ReadTimeoutSeconds, 'CertificateWarningDays', CertificateWarningDays)
            WHERE Kind = 'Tcp';

            UPDATE checks SET http = json_object(
                'Url', COALESCE(json_extract(SettingsJson, '$.http.url'), ''),
                'Method', COALESCE(json_extract(SettingsJson, '$.http.method'), 'GET'),
                'Body', json_extract(SettingsJson, '$.http.body'),
                'ContentType', json_extract(SettingsJson, '$.http.contentType'),
                'Headers', json((
                    WITH RECURSIVE split(line, rest) AS (
                        SELECT NULL, COALESCE(json_extract(checks.SettingsJson, '$.http.headers'), '') || char(10)
                        UNION ALL
                        SELECT substr(rest, 1, instr(rest, char(10)) - 1), substr(rest, instr(rest, char(10)) + 1) FROM split WHERE rest <> '')
                    SELECT json_group_array(json_object(
                        'Name', trim(substr(line, 1, instr(line, ':') - 1), ' ' || char(9) || char(13)),
                        'Value', trim(substr(line, instr(line, ':') + 1), ' ' || char(9) || char(13))))
                    FROM split
                    WHERE line IS NOT NULL AND instr(line, ':') > 1 AND trim(substr(line, 1, instr(line, ':') - 1), ' ' || char(9) || char(13)) <> '')),
                'ExpectedStatus', COALESCE(json_extract(SettingsJson, '$.http.expectedStatus'), '200-399'),
                'MustContain', json_extract(SettingsJson, '$.http.mustContain'),
                'MustNotContain', json_extract(SettingsJson, '$.http.mustNotContain'),
                'KeywordsAreRegex', json(CASE COALESCE(json_extract(SettingsJson, '$.http.keywordsAreRegex'), 0) WHEN 1 THEN 'true' ELSE 'false' END),
                'FollowRedirects', json(CASE COALESCE(json_extract(SettingsJson, '$.http.followRedirects'), 1) WHEN 1 THEN 'true' ELSE 'false' END),
                'MaxRedirects', COALESCE(json_extract(SettingsJson, '$.http.maxRedirects'), 5),
                'VerifyTls', json(CASE COALESCE(json_extract(SettingsJson, '$.http.verifyTls'), 1) WHEN 1 THEN 'true' ELSE 'false' END),
                'CertificateWarningDays', CertificateWarningDays)
            WHERE Kind = 'Http';

            UPDATE checks SET dns = json_object(
                'Name', Host,
                'RecordType', COALESCE(json_extract(SettingsJson, '$.dns.recordType'), 'A'),
                'Resolver', json_extract(SettingsJson, '$.dns.resolver'),
                'Transport', 'Udp',
                'Expectation', COALESCE(json_extract(SettingsJson, '$.dns.expectation'), 'AnyAnswer'),
                'Values', json((
                    WITH RECURSIVE split(line, rest) AS (
                        SELECT NULL, COALESCE(json_extract(checks.SettingsJson, '$.dns.values'), '') || char(10)
                        UNION ALL
                        SELECT substr(rest, 1, instr(rest, char(10)) - 1), substr(rest, instr(rest, char(10)) + 1) FROM split WHERE rest <> '')
                    SELECT json_group_array(trim(line, ' ' || char(9) || char(13)))
                    FROM split
                    WHERE line IS NOT NULL AND trim(line, ' ' || char(9) || char(13)) <> '')))
            WHERE Kind = 'Dns';

            UPDATE checks SET ssl = json_object(
                'Host', Host, 'Port', Port,
                'ServerName', NULLIF(json_extract(SettingsJson, '$.ssl.serverName'), ''),
                'StartTls', COALESCE(json_extract(SettingsJson, '$.ssl.startTls'), 'None'),
                'ReadTimeoutSeconds', ReadTimeoutSeconds,
                'WarningDays', CertificateWarningDays,
                'CriticalDays', COALESCE(json_extract(SettingsJson, '$.ssl.criticalDays'), 3))
            WHERE Kind = 'Ssl';

            UPDATE checks SET seo = json_object(
                'Url', COALESCE(json_extract(SettingsJson, '$.http.url'), ''),
                'Rules', json((
                    SELECT json_group_array(json_object('Rule', rule.key, 'Severity', rule.value))
                    FROM (SELECT key, value FROM json_each(checks.SettingsJson, '$.seo.severities') ORDER BY key) AS rule
                    WHERE rule.value <> CASE WHEN rule.key IN ('status-not-2xx', 'not-indexable') THEN 'Down' ELSE 'Degraded' END)))
            WHERE Kind = 'Seo';
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var kind in new[] { "tcp", "http", "dns", "ssl", "seo" })
            {
                migrationBuilder.AddColumn<string>(name: kind, table: "checks", type: "TEXT", nullable: true);
            }

            migrationBuilder.AddColumn<uint>(name: "Version", table: "checks", type: "INTEGER", nullable: false, defaultValue: 0u);

            // Move every check's settings into its kind's JSON column, in the shape of the kind's
            // settings record (property names as in C#, enums by name), then drop the old columns.
            migrationBuilder.Sql(MoveSettings);

            foreach (var column in OldColumns)
            {
                migrationBuilder.DropColumn(name: column, table: "checks");
            }
        }

        /// <inheritdoc />
        /// <remarks>Restores the old columns' shape, not the settings: a downgrade needs checks re-entered.</remarks>
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var column in new[] { "tcp", "http", "dns", "ssl", "seo", "Version" })
            {
                migrationBuilder.DropColumn(name: column, table: "checks");
            }

            migrationBuilder.AddColumn<int>(name: "CertificateWarningDays", table: "checks", type: "INTEGER", nullable: false, defaultValue: 14);
            migrationBuilder.AddColumn<string>(name: "Expect", table: "checks", type: "TEXT", maxLength: 500, nullable: true);
            migrationBuilder.AddColumn<string>(name: "ExpectMode", table: "checks", type: "TEXT", maxLength: 8, nullable: false, defaultValue: "Contains");
            migrationBuilder.AddColumn<string>(name: "Host", table: "checks", type: "TEXT", maxLength: 253, nullable: false, defaultValue: "");
            migrationBuilder.AddColumn<int>(name: "Port", table: "checks", type: "INTEGER", nullable: false, defaultValue: 0);
            migrationBuilder.AddColumn<int>(name: "ReadTimeoutSeconds", table: "checks", type: "INTEGER", nullable: false, defaultValue: 5);
            migrationBuilder.AddColumn<string>(name: "Send", table: "checks", type: "TEXT", maxLength: 4000, nullable: true);
            migrationBuilder.AddColumn<string>(name: "SendFormat", table: "checks", type: "TEXT", maxLength: 8, nullable: false, defaultValue: "Text");
            migrationBuilder.AddColumn<string>(name: "Service", table: "checks", type: "TEXT", maxLength: 16, nullable: false, defaultValue: "PortOpen");
            migrationBuilder.AddColumn<string>(name: "SettingsJson", table: "checks", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<bool>(name: "StartTls", table: "checks", type: "INTEGER", nullable: false, defaultValue: false);
        }
    }
}
