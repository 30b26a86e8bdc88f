using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Watchtower.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Teams : Migration
    {
        /// <summary>One personal team per account, owned by it, named as a sign-up's is (“name’s team”).</summary>
        private const string MoveToPersonalTeams = """
            INSERT INTO teams ("Name", "CreatedAt", "CreatedByUserId", "RequireTwoFactor")
            SELECT LEFT(CASE WHEN COALESCE(u."Email", '') = '' THEN 'My team' ELSE split_part(u."Email", '@', 1) || '’s team' END, 100), u."CreatedAt", u."Id", FALSE
            FROM "AspNetUsers" u;
            INSERT INTO team_members ("TeamId", "UserId", "Role", "JoinedAt")
            SELECT t."Id", t."CreatedByUserId", 'Owner', t."CreatedAt" FROM teams t;
            UPDATE checks c SET "TeamId" = t."Id" FROM teams t WHERE t."CreatedByUserId" = c."OwnerId";
            UPDATE status_pages p SET "TeamId" = t."Id" FROM teams t WHERE t."CreatedByUserId" = p."OwnerId";
            UPDATE "AspNetUsers" u SET "CurrentTeamId" = t."Id", "EmailConfirmed" = TRUE FROM teams t WHERE t."CreatedByUserId" = u."Id";
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "TeamId",
                table: "status_pages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "TeamId",
                table: "checks",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CurrentTeamId",
                table: "AspNetUsers",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "teams",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "text", nullable: true),
                    RequireTwoFactor = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_teams", x => x.Id);
                    table.ForeignKey(
                        name: "FK_teams_AspNetUsers_CreatedByUserId",
                        column: x => x.CreatedByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TeamId = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorUserId = table.Column<string>(type: "text", nullable: true),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    Target = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Details = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    ClientAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_audit_events_AspNetUsers_ActorUserId",
                        column: x => x.ActorUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_audit_events_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "team_invitations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TeamId = table.Column<int>(type: "integer", nullable: false),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    InvitedByUserId = table.Column<string>(type: "text", nullable: true),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcceptedByUserId = table.Column<string>(type: "text", nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_invitations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_team_invitations_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "team_members",
                columns: table => new
                {
                    TeamId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    Role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    JoinedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_members", x => new { x.TeamId, x.UserId });
                    table.ForeignKey(
                        name: "FK_team_members_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_team_members_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Every account gets a personal team that owns what the account owned; the accounts predate
            // email confirmation, so they are confirmed (no owner is shut out of saving checks).
            migrationBuilder.Sql(MoveToPersonalTeams);

            migrationBuilder.CreateIndex(
                name: "IX_status_pages_TeamId",
                table: "status_pages",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_checks_TeamId",
                table: "checks",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_ActorUserId",
                table: "audit_events",
                column: "ActorUserId");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_At",
                table: "audit_events",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_TeamId_At",
                table: "audit_events",
                columns: new[] { "TeamId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_team_invitations_TeamId",
                table: "team_invitations",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_team_invitations_TokenHash",
                table: "team_invitations",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_team_members_UserId",
                table: "team_members",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_teams_CreatedByUserId",
                table: "teams",
                column: "CreatedByUserId");

            migrationBuilder.AddForeignKey(
                name: "FK_checks_teams_TeamId",
                table: "checks",
                column: "TeamId",
                principalTable: "teams",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_status_pages_teams_TeamId",
                table: "status_pages",
                column: "TeamId",
                principalTable: "teams",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.DropForeignKey(
                name: "FK_checks_AspNetUsers_OwnerId",
                table: "checks");

            migrationBuilder.DropForeignKey(
                name: "FK_status_pages_AspNetUsers_OwnerId",
                table: "status_pages");

            migrationBuilder.DropIndex(
                name: "IX_status_pages_OwnerId",
                table: "status_pages");

            migrationBuilder.DropIndex(
                name: "IX_checks_OwnerId",
                table: "checks");

            migrationBuilder.DropColumn(
                name: "OwnerId",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "OwnerId",
                table: "checks");
        }

        /// <inheritdoc />
        /// <remarks>Restores the shape only: pages and checks cannot go back to owners without their teams.</remarks>
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_checks_teams_TeamId",
                table: "checks");

            migrationBuilder.DropForeignKey(
                name: "FK_status_pages_teams_TeamId",
                table: "status_pages");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "team_invitations");

            migrationBuilder.DropTable(
                name: "team_members");

            migrationBuilder.DropTable(
                name: "teams");

            migrationBuilder.DropIndex(
                name: "IX_status_pages_TeamId",
                table: "status_pages");

            migrationBuilder.DropIndex(
                name: "IX_checks_TeamId",
                table: "checks");

            migrationBuilder.DropColumn(
                name: "TeamId",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "TeamId",
                table: "checks");

            migrationBuilder.DropColumn(
                name: "CurrentTeamId",
                table: "AspNetUsers");

            migrationBuilder.AddColumn<string>(
                name: "OwnerId",
                table: "status_pages",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "OwnerId",
                table: "checks",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_status_pages_OwnerId",
                table: "status_pages",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_checks_OwnerId",
                table: "checks",
                column: "OwnerId");

            migrationBuilder.AddForeignKey(
                name: "FK_checks_AspNetUsers_OwnerId",
                table: "checks",
                column: "OwnerId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_status_pages_AspNetUsers_OwnerId",
                table: "status_pages",
                column: "OwnerId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
