using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watchtower.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RecurringMaintenance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "OccurrenceOn",
                table: "maintenances",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RecurringMaintenanceId",
                table: "maintenances",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "recurring_maintenances",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: false),
                    StatusPageId = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Days = table.Column<int>(type: "INTEGER", nullable: false),
                    StartTime = table.Column<TimeOnly>(type: "TEXT", nullable: false),
                    DurationMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LastDay = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    MaterializedThrough = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CheckIds = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recurring_maintenances", x => x.Id);
                    table.ForeignKey(
                        name: "FK_recurring_maintenances_status_pages_StatusPageId",
                        column: x => x.StatusPageId,
                        principalTable: "status_pages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_recurring_maintenances_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_maintenances_RecurringMaintenanceId_OccurrenceOn",
                table: "maintenances",
                columns: new[] { "RecurringMaintenanceId", "OccurrenceOn" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_recurring_maintenances_StatusPageId",
                table: "recurring_maintenances",
                column: "StatusPageId");

            migrationBuilder.CreateIndex(
                name: "IX_recurring_maintenances_TeamId",
                table: "recurring_maintenances",
                column: "TeamId");

            migrationBuilder.AddForeignKey(
                name: "FK_maintenances_recurring_maintenances_RecurringMaintenanceId",
                table: "maintenances",
                column: "RecurringMaintenanceId",
                principalTable: "recurring_maintenances",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_maintenances_recurring_maintenances_RecurringMaintenanceId",
                table: "maintenances");

            migrationBuilder.DropTable(
                name: "recurring_maintenances");

            migrationBuilder.DropIndex(
                name: "IX_maintenances_RecurringMaintenanceId_OccurrenceOn",
                table: "maintenances");

            migrationBuilder.DropColumn(
                name: "OccurrenceOn",
                table: "maintenances");

            migrationBuilder.DropColumn(
                name: "RecurringMaintenanceId",
                table: "maintenances");
        }
    }
}
