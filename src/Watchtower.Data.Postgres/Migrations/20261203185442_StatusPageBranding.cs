using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Watchtower.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class StatusPageBranding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AccentColor",
                table: "status_pages",
                type: "character varying(7)",
                maxLength: 7,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CustomDomain",
                table: "status_pages",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DomainToken",
                table: "status_pages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DomainVerifiedAt",
                table: "status_pages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LogoContentType",
                table: "status_pages",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LogoHash",
                table: "status_pages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LogoHeight",
                table: "status_pages",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LogoWidth",
                table: "status_pages",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PasswordHash",
                table: "status_pages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SiteUrl",
                table: "status_pages",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Visibility",
                table: "status_pages",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Public");

            migrationBuilder.AddColumn<int>(
                name: "GroupId",
                table: "status_page_checks",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "status_page_groups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StatusPageId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    SortOrder = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_status_page_groups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_status_page_groups_status_pages_StatusPageId",
                        column: x => x.StatusPageId,
                        principalTable: "status_pages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_page_logos",
                columns: table => new
                {
                    StatusPageId = table.Column<int>(type: "integer", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_status_page_logos", x => x.StatusPageId);
                    table.ForeignKey(
                        name: "FK_status_page_logos_status_pages_StatusPageId",
                        column: x => x.StatusPageId,
                        principalTable: "status_pages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_status_pages_CustomDomain",
                table: "status_pages",
                column: "CustomDomain",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_status_page_checks_GroupId",
                table: "status_page_checks",
                column: "GroupId");

            migrationBuilder.CreateIndex(
                name: "IX_status_page_groups_StatusPageId",
                table: "status_page_groups",
                column: "StatusPageId");

            migrationBuilder.AddForeignKey(
                name: "FK_status_page_checks_status_page_groups_GroupId",
                table: "status_page_checks",
                column: "GroupId",
                principalTable: "status_page_groups",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_status_page_checks_status_page_groups_GroupId",
                table: "status_page_checks");

            migrationBuilder.DropTable(
                name: "status_page_groups");

            migrationBuilder.DropTable(
                name: "status_page_logos");

            migrationBuilder.DropIndex(
                name: "IX_status_pages_CustomDomain",
                table: "status_pages");

            migrationBuilder.DropIndex(
                name: "IX_status_page_checks_GroupId",
                table: "status_page_checks");

            migrationBuilder.DropColumn(
                name: "AccentColor",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "CustomDomain",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "DomainToken",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "DomainVerifiedAt",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "LogoContentType",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "LogoHash",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "LogoHeight",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "LogoWidth",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "PasswordHash",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "SiteUrl",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "Visibility",
                table: "status_pages");

            migrationBuilder.DropColumn(
                name: "GroupId",
                table: "status_page_checks");
        }
    }
}
