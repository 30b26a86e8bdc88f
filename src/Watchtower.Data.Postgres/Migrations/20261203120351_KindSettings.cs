using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watchtower.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class KindSettings : Migration
    {
        /// <summary>
        /// From the columns and the hand-parsed SettingsJson (camelCase, enums by name) of the first
        /// migration. Lines of headers and DNS values become lists; an SEO rule whose stored severity
        /// is the old form's default (the form pre-filled every rule) is left to the new default.
        /// </summary>
        private const string MoveSettings = """
            UPDATE checks SET tcp = jsonb_build_object(
                'Host', "Host", 'Port', "Port", 'Service', "Service", 'StartTls', "StartTls", 'ImplicitTls', false,
                'CertificateName', NULLIF("SettingsJson"::jsonb #>> '{ssl,serverName}', ''),
                'Send', "Send", 'SendFormat', "SendFormat", 'Expect', "Expect", 'ExpectMode', "ExpectMode",
                'ReadTimeoutSeconds', "ReadTimeoutSeconds", 'CertificateWarningDays', "CertificateWarningDays")
            WHERE "Kind" = 'Tcp';

            UPDATE checks SET http = jsonb_build_object(
                'Url', COALESCE(old.s->>'url', ''), 'Method', COALESCE(old.s->>'method', 'GET'),
                'Body', old.s->>'body', 'ContentType', old.s->>'contentType',
                'Headers', COALESCE((
                    SELECT jsonb_agg(jsonb_build_object(
                        'Name', btrim(split_part(line, ':', 1), E' \t\r'),
                        'Value', btrim(substr(line, strpos(line, ':') + 1), E' \t\r')) ORDER BY n)
                    FROM regexp_split_to_table(old.s->>'headers', E'\n') WITH ORDINALITY AS lines(line, n)
                    WHERE strpos(line, ':') > 1 AND btrim(split_part(line, ':', 1), E' \t\r') <> ''), '[]'::jsonb),
                'ExpectedStatus', COALESCE(old.s->>'expectedStatus', '200-399'),
                'MustContain', old.s->>'mustContain', 'MustNotContain', old.s->>'mustNotContain',
                'KeywordsAreRegex', COALESCE((old.s->>'keywordsAreRegex')::boolean, false),
                'FollowRedirects', COALESCE((old.s->>'followRedirects')::boolean, true),
                'MaxRedirects', COALESCE((old.s->>'maxRedirects')::integer, 5),
                'VerifyTls', COALESCE((old.s->>'verifyTls')::boolean, true),
                'CertificateWarningDays', checks."CertificateWarningDays")
            FROM (SELECT "Id" AS id, "SettingsJson"::jsonb -> 'http' AS s FROM checks WHERE "Kind" = 'Http') AS old
            WHERE checks."Id" = old.id;

            UPDATE checks SET dns = jsonb_build_object(
                'Name', checks."Host", 'RecordType', COALESCE(old.s->>'recordType', 'A'), 'Resolver', old.s->>'resolver',
                'Transport', 'Udp', 'Expectation', COALESCE(old.s->>'expectation', 'AnyAnswer'),
                'Values', COALESCE((
                    SELECT jsonb_agg(btrim(v, E' \t\r') ORDER BY n)
                    FROM regexp_split_to_table(old.s->>'values', E'\n') WITH ORDINALITY AS lines(v, n)
                    WHERE btrim(v, E' \t\r') <> ''), '[]'::jsonb))
            FROM (SELECT "Id" AS id, "SettingsJson"::jsonb -> 'dns' AS s FROM checks WHERE "Kind" = 'Dns') AS old
            WHERE checks."Id" = old.id;

            UPDATE checks SET ssl = jsonb_build_object(
                'Host', checks."Host", 'Port', checks."Port", 'ServerName', NULLIF(old.s->>'serverName', ''),
                'StartTls', COALESCE(old.s->>'startTls', 'None'), 'ReadTimeoutSeconds', checks."ReadTimeoutSeconds",
                'WarningDays', checks."CertificateWarningDays", 'CriticalDays', COALESCE((old.s->>'criticalDays')::integer, 3))
            FROM (SELECT "Id" AS id, "SettingsJson"::jsonb -> 'ssl' AS s FROM checks WHERE "Kind" = 'Ssl') AS old
            WHERE checks."Id" = old.id;

            UPDATE checks SET seo = jsonb_build_object(
                'Url', COALESCE(old.j #>> '{http,url}', ''),
                'Rules', COALESCE((
                    SELECT jsonb_agg(jsonb_build_object('Rule', rule.key, 'Severity', rule.value) ORDER BY rule.key)
                    FROM jsonb_each_text(old.j #> '{seo,severities}') AS rule
                    WHERE rule.value <> CASE WHEN rule.key IN ('status-not-2xx', 'not-indexable') THEN 'Down' ELSE 'Degraded' END), '[]'::jsonb))
            FROM (SELECT "Id" AS id, "SettingsJson"::jsonb AS j FROM checks WHERE "Kind" = 'Seo') AS old
            WHERE checks."Id" = old.id;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "dns",
                table: "checks",
                type: "jsonb",
                nullable: true);


            migrationBuilder.AddColumn<string>(
                name: "http",
                table: "checks",
                type: "jsonb",
                nullable: true);


            migrationBuilder.AddColumn<string>(
                name: "seo",
                table: "checks",
                type: "jsonb",
                nullable: true);


            migrationBuilder.AddColumn<string>(
                name: "ssl",
                table: "checks",
                type: "jsonb",
                nullable: true);


            migrationBuilder.AddColumn<string>(
                name: "tcp",
                table: "checks",
                type: "jsonb",
                nullable: true);


            // Move every check's settings into its kind's JSON column, in the shape of the kind's
            // settings record (property names as in C#, enums by name), then drop the old columns.
            migrationBuilder.Sql(MoveSettings);

            migrationBuilder.DropColumn(
                name: "CertificateWarningDays",
                table: "checks");


            migrationBuilder.DropColumn(
                name: "Expect",
                table: "checks");


            migrationBuilder.DropColumn(
                name: "ExpectMode",
                table: "checks");


            migrationBuilder.DropColumn(
                name: "Host",
                table: "checks");


            migrationBuilder.DropColumn(
                name: "Port",
                table: "checks");


            migrationBuilder.DropColumn(
                name: "ReadTimeoutSeconds",
                table: "checks");


            migrationBuilder.DropColumn(
                name: "Send",
                table: "checks");


            migrationBuilder.DropColumn(
                name: "SendFormat",
                table: "checks");


            migrationBuilder.DropColumn(
                name: "Service",
                table: "checks");


            migrationBuilder.DropColumn(
                name: "SettingsJson",
                table: "checks");


            migrationBuilder.DropColumn(
                name: "StartTls",
                table: "checks");

        }

        /// <inheritdoc />
        /// <remarks>Restores the old columns' shape, not the settings: a downgrade needs checks re-entered.</remarks>
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "dns",
                table: "checks");

            migrationBuilder.DropColumn(
                name: "http",
                table: "checks");

            migrationBuilder.DropColumn(
                name: "seo",
                table: "checks");

            migrationBuilder.DropColumn(
                name: "ssl",
                table: "checks");

            migrationBuilder.DropColumn(
                name: "tcp",
                table: "checks");

            migrationBuilder.AddColumn<int>(
                name: "CertificateWarningDays",
                table: "checks",
                type: "integer",
                nullable: false,
                defaultValue: 14);

            migrationBuilder.AddColumn<string>(
                name: "Expect",
                table: "checks",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExpectMode",
                table: "checks",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "Contains");

            migrationBuilder.AddColumn<string>(
                name: "Host",
                table: "checks",
                type: "character varying(253)",
                maxLength: 253,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Port",
                table: "checks",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ReadTimeoutSeconds",
                table: "checks",
                type: "integer",
                nullable: false,
                defaultValue: 5);

            migrationBuilder.AddColumn<string>(
                name: "Send",
                table: "checks",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SendFormat",
                table: "checks",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "Text");

            migrationBuilder.AddColumn<string>(
                name: "Service",
                table: "checks",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "PortOpen");

            migrationBuilder.AddColumn<string>(
                name: "SettingsJson",
                table: "checks",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "StartTls",
                table: "checks",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }
    }
}
