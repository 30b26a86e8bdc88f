using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watchtower.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Leases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_checks_Enabled_NextRunAt",
                table: "checks");

            migrationBuilder.AddColumn<Guid>(
                name: "LeaseId",
                table: "checks",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_checks_Enabled_Location_NextRunAt",
                table: "checks",
                columns: new[] { "Enabled", "Location", "NextRunAt" });

            migrationBuilder.CreateIndex(
                name: "IX_checks_LeaseId",
                table: "checks",
                column: "LeaseId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_checks_Enabled_Location_NextRunAt",
                table: "checks");

            migrationBuilder.DropIndex(
                name: "IX_checks_LeaseId",
                table: "checks");

            migrationBuilder.DropColumn(
                name: "LeaseId",
                table: "checks");

            migrationBuilder.CreateIndex(
                name: "IX_checks_Enabled_NextRunAt",
                table: "checks",
                columns: new[] { "Enabled", "NextRunAt" });
        }
    }
}
