using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class MaintenanceConfiguration : IEntityTypeConfiguration<Maintenance>
{
    public void Configure(EntityTypeBuilder<Maintenance> builder)
    {
        builder.ToTable("maintenances");
        builder.Property(m => m.Title).HasMaxLength(Maintenance.TitleMaxLength);
        builder.Property(m => m.Body).HasMaxLength(Maintenance.BodyMaxLength);
        builder.Property(m => m.TimeZone).HasMaxLength(Maintenance.TimeZoneMaxLength);
        builder.Property(m => m.Status).HasMaxLength(16);
        builder.HasIndex(m => new { m.StatusPageId, m.StartsAt });
        builder.HasIndex(m => m.TeamId);
        builder.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.StatusPage).WithMany().HasForeignKey(m => m.StatusPageId).OnDelete(DeleteBehavior.Cascade);
        // Past occurrences stay (history, uptime) when their rule is stopped.
        builder.HasOne(m => m.RecurringMaintenance).WithMany().HasForeignKey(m => m.RecurringMaintenanceId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(m => new { m.RecurringMaintenanceId, m.OccurrenceOn }).IsUnique();
    }
}

internal sealed class RecurringMaintenanceConfiguration : IEntityTypeConfiguration<RecurringMaintenance>
{
    public void Configure(EntityTypeBuilder<RecurringMaintenance> builder)
    {
        builder.ToTable("recurring_maintenances");
        builder.Property(m => m.Days).HasConversion<int>();
        builder.Property(m => m.Title).HasMaxLength(Maintenance.TitleMaxLength);
        builder.Property(m => m.Body).HasMaxLength(Maintenance.BodyMaxLength);
        builder.Property(m => m.TimeZone).HasMaxLength(Maintenance.TimeZoneMaxLength);
        builder.HasIndex(m => m.StatusPageId);
        builder.HasIndex(m => m.TeamId);
        builder.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.StatusPage).WithMany().HasForeignKey(m => m.StatusPageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MaintenanceComponentConfiguration : IEntityTypeConfiguration<MaintenanceComponent>
{
    public void Configure(EntityTypeBuilder<MaintenanceComponent> builder)
    {
        builder.ToTable("maintenance_components");
        builder.HasKey(c => new { c.MaintenanceId, c.CheckId });
        builder.HasIndex(c => c.CheckId);
        builder.HasOne(c => c.Maintenance).WithMany(m => m.Components).HasForeignKey(c => c.MaintenanceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.Check).WithMany().HasForeignKey(c => c.CheckId).OnDelete(DeleteBehavior.Cascade);
    }
}
