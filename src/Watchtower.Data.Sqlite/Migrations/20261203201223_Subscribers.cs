using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Watchtower.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Subscribers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "IncidentId",
                table: "alert_events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "IncidentUpdateId",
                table: "alert_events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaintenanceId",
                table: "alert_events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StatusPageId",
                table: "alert_events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "ChannelId",
                table: "alert_deliveries",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<int>(
                name: "SubscriberId",
                table: "alert_deliveries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "subscribers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: false),
                    StatusPageId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ProtectedSecret = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ConfirmTokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ConfirmExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConfirmSentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AllComponents = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscribers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_subscribers_status_pages_StatusPageId",
                        column: x => x.StatusPageId,
                        principalTable: "status_pages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_subscribers_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subscriber_components",
                columns: table => new
                {
                    SubscriberId = table.Column<int>(type: "INTEGER", nullable: false),
                    CheckId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscriber_components", x => new { x.SubscriberId, x.CheckId });
                    table.ForeignKey(
                        name: "FK_subscriber_components_checks_CheckId",
                        column: x => x.CheckId,
                        principalTable: "checks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_subscriber_components_subscribers_SubscriberId",
                        column: x => x.SubscriberId,
                        principalTable: "subscribers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_alert_events_IncidentId",
                table: "alert_events",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_alert_events_IncidentUpdateId",
                table: "alert_events",
                column: "IncidentUpdateId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_alert_events_MaintenanceId_Type",
                table: "alert_events",
                columns: new[] { "MaintenanceId", "Type" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_alert_events_StatusPageId",
                table: "alert_events",
                column: "StatusPageId");

            migrationBuilder.CreateIndex(
                name: "IX_alert_deliveries_EventId_SubscriberId",
                table: "alert_deliveries",
                columns: new[] { "EventId", "SubscriberId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_alert_deliveries_SubscriberId",
                table: "alert_deliveries",
                column: "SubscriberId");

            migrationBuilder.CreateIndex(
                name: "IX_subscriber_components_CheckId",
                table: "subscriber_components",
                column: "CheckId");

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_ConfirmTokenHash",
                table: "subscribers",
                column: "ConfirmTokenHash");

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_StatusPageId_Email",
                table: "subscribers",
                columns: new[] { "StatusPageId", "Email" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_TeamId",
                table: "subscribers",
                column: "TeamId");

            migrationBuilder.AddForeignKey(
                name: "FK_alert_deliveries_subscribers_SubscriberId",
                table: "alert_deliveries",
                column: "SubscriberId",
                principalTable: "subscribers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_alert_events_incident_updates_IncidentUpdateId",
                table: "alert_events",
                column: "IncidentUpdateId",
                principalTable: "incident_updates",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_alert_events_incidents_IncidentId",
                table: "alert_events",
                column: "IncidentId",
                principalTable: "incidents",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_alert_events_maintenances_MaintenanceId",
                table: "alert_events",
                column: "MaintenanceId",
                principalTable: "maintenances",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_alert_events_status_pages_StatusPageId",
                table: "alert_events",
                column: "StatusPageId",
                principalTable: "status_pages",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_alert_deliveries_subscribers_SubscriberId",
                table: "alert_deliveries");

            migrationBuilder.DropForeignKey(
                name: "FK_alert_events_incident_updates_IncidentUpdateId",
                table: "alert_events");

            migrationBuilder.DropForeignKey(
                name: "FK_alert_events_incidents_IncidentId",
                table: "alert_events");

            migrationBuilder.DropForeignKey(
                name: "FK_alert_events_maintenances_MaintenanceId",
                table: "alert_events");

            migrationBuilder.DropForeignKey(
                name: "FK_alert_events_status_pages_StatusPageId",
                table: "alert_events");

            migrationBuilder.DropTable(
                name: "subscriber_components");

            migrationBuilder.DropTable(
                name: "subscribers");

            migrationBuilder.DropIndex(
                name: "IX_alert_events_IncidentId",
                table: "alert_events");

            migrationBuilder.DropIndex(
                name: "IX_alert_events_IncidentUpdateId",
                table: "alert_events");

            migrationBuilder.DropIndex(
                name: "IX_alert_events_MaintenanceId_Type",
                table: "alert_events");

            migrationBuilder.DropIndex(
                name: "IX_alert_events_StatusPageId",
                table: "alert_events");

            migrationBuilder.DropIndex(
                name: "IX_alert_deliveries_EventId_SubscriberId",
                table: "alert_deliveries");

            migrationBuilder.DropIndex(
                name: "IX_alert_deliveries_SubscriberId",
                table: "alert_deliveries");

            migrationBuilder.DropColumn(
                name: "IncidentId",
                table: "alert_events");

            migrationBuilder.DropColumn(
                name: "IncidentUpdateId",
                table: "alert_events");

            migrationBuilder.DropColumn(
                name: "MaintenanceId",
                table: "alert_events");

            migrationBuilder.DropColumn(
                name: "StatusPageId",
                table: "alert_events");

            migrationBuilder.DropColumn(
                name: "SubscriberId",
                table: "alert_deliveries");

            migrationBuilder.AlterColumn<int>(
                name: "ChannelId",
                table: "alert_deliveries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
