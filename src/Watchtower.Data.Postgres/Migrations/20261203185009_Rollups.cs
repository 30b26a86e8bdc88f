using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watchtower.Data.Postgres.Migrations
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
                    CheckId = table.Column<int>(type: "integer", nullable: false),
                    LastAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
                    CheckId = table.Column<int>(type: "integer", nullable: false),
                    Start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RunsUp = table.Column<int>(type: "integer", nullable: false),
                    RunsDegraded = table.Column<int>(type: "integer", nullable: false),
                    RunsDown = table.Column<int>(type: "integer", nullable: false),
                    UpMs = table.Column<long>(type: "bigint", nullable: false),
                    DegradedMs = table.Column<long>(type: "bigint", nullable: false),
                    DownMs = table.Column<long>(type: "bigint", nullable: false),
                    MaintenanceMs = table.Column<long>(type: "bigint", nullable: false),
                    ObservedMs = table.Column<long>(type: "bigint", nullable: false),
                    LatencyCount = table.Column<int>(type: "integer", nullable: false),
                    LatencySumMs = table.Column<long>(type: "bigint", nullable: false),
                    LatencyMinMs = table.Column<int>(type: "integer", nullable: true),
                    LatencyMaxMs = table.Column<int>(type: "integer", nullable: true),
                    LatencyBuckets = table.Column<int[]>(type: "integer[]", nullable: false)
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
                    CheckId = table.Column<int>(type: "integer", nullable: false),
                    Start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RunsUp = table.Column<int>(type: "integer", nullable: false),
                    RunsDegraded = table.Column<int>(type: "integer", nullable: false),
                    RunsDown = table.Column<int>(type: "integer", nullable: false),
                    UpMs = table.Column<long>(type: "bigint", nullable: false),
                    DegradedMs = table.Column<long>(type: "bigint", nullable: false),
                    DownMs = table.Column<long>(type: "bigint", nullable: false),
                    MaintenanceMs = table.Column<long>(type: "bigint", nullable: false),
                    ObservedMs = table.Column<long>(type: "bigint", nullable: false),
                    LatencyCount = table.Column<int>(type: "integer", nullable: false),
                    LatencySumMs = table.Column<long>(type: "bigint", nullable: false),
                    LatencyMinMs = table.Column<int>(type: "integer", nullable: true),
                    LatencyMaxMs = table.Column<int>(type: "integer", nullable: true),
                    LatencyBuckets = table.Column<int[]>(type: "integer[]", nullable: false)
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
