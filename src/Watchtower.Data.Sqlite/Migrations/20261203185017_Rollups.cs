using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watchtower.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Rollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "check_rollup_cursors",
                columns: table => new
                {
                    CheckId = table.Column<int>(type: "INTEGER", nullable: false),
                    LastAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_rollup_cursors", x => x.CheckId);
                    table.ForeignKey(
                        name: "FK_check_rollup_cursors_checks_CheckId",
                        column: x => x.CheckId,
                        principalTable: "checks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "check_rollups_daily",
                columns: table => new
                {
                    CheckId = table.Column<int>(type: "INTEGER", nullable: false),
                    Start = table.Column<long>(type: "INTEGER", nullable: false),
                    RunsUp = table.Column<int>(type: "INTEGER", nullable: false),
                    RunsDegraded = table.Column<int>(type: "INTEGER", nullable: false),
                    RunsDown = table.Column<int>(type: "INTEGER", nullable: false),
                    UpMs = table.Column<long>(type: "INTEGER", nullable: false),
                    DegradedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    DownMs = table.Column<long>(type: "INTEGER", nullable: false),
                    MaintenanceMs = table.Column<long>(type: "INTEGER", nullable: false),
                    ObservedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    LatencyCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LatencySumMs = table.Column<long>(type: "INTEGER", nullable: false),
                    LatencyMinMs = table.Column<int>(type: "INTEGER", nullable: true),
                    LatencyMaxMs = table.Column<int>(type: "INTEGER", nullable: true),
                    LatencyBuckets = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_rollups_daily", x => new { x.CheckId, x.Start });
                    table.ForeignKey(
                        name: "FK_check_rollups_daily_checks_CheckId",
                        column: x => x.CheckId,
                        principalTable: "checks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "check_rollups_hourly",
                columns: table => new
                {
                    CheckId = table.Column<int>(type: "INTEGER", nullable: false),
                    Start = table.Column<long>(type: "INTEGER", nullable: false),
                    RunsUp = table.Column<int>(type: "INTEGER", nullable: false),
                    RunsDegraded = table.Column<int>(type: "INTEGER", nullable: false),
                    RunsDown = table.Column<int>(type: "INTEGER", nullable: false),
                    UpMs = table.Column<long>(type: "INTEGER", nullable: false),
                    DegradedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    DownMs = table.Column<long>(type: "INTEGER", nullable: false),
                    MaintenanceMs = table.Column<long>(type: "INTEGER", nullable: false),
                    ObservedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    LatencyCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LatencySumMs = table.Column<long>(type: "INTEGER", nullable: false),
                    LatencyMinMs = table.Column<int>(type: "INTEGER", nullable: true),
                    LatencyMaxMs = table.Column<int>(type: "INTEGER", nullable: true),
                    LatencyBuckets = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_rollups_hourly", x => new { x.CheckId, x.Start });
                    table.ForeignKey(
                        name: "FK_check_rollups_hourly_checks_CheckId",
                        column: x => x.CheckId,
                        principalTable: "checks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_check_rollups_hourly_Start",
                table: "check_rollups_hourly",
                column: "Start");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "check_rollup_cursors");

            migrationBuilder.DropTable(
                name: "check_rollups_daily");

            migrationBuilder.DropTable(
                name: "check_rollups_hourly");
        }
    }
}
