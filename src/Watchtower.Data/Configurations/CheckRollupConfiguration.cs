using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class CheckHourlyRollupConfiguration : IEntityTypeConfiguration<CheckHourlyRollup>
{
    public void Configure(EntityTypeBuilder<CheckHourlyRollup> builder)
    {
        builder.ToTable("check_rollups_hourly");
        builder.HasKey(r => new { r.CheckId, r.Start });
        // Pruning deletes by age across all checks.
        builder.HasIndex(r => r.Start);
        builder.HasOne<Check>().WithMany().HasForeignKey(r => r.CheckId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CheckDailyRollupConfiguration : IEntityTypeConfiguration<CheckDailyRollup>
{
    public void Configure(EntityTypeBuilder<CheckDailyRollup> builder)
    {
        builder.ToTable("check_rollups_daily");
        builder.HasKey(r => new { r.CheckId, r.Start });
        builder.HasOne<Check>().WithMany().HasForeignKey(r => r.CheckId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CheckRollupCursorConfiguration : IEntityTypeConfiguration<CheckRollupCursor>
{
    public void Configure(EntityTypeBuilder<CheckRollupCursor> builder)
    {
        builder.ToTable("check_rollup_cursors");
        builder.HasKey(c => c.CheckId);
        builder.Property(c => c.LastStatus).HasMaxLength(16);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne<Check>().WithOne().HasForeignKey<CheckRollupCursor>(c => c.CheckId).OnDelete(DeleteBehavior.Cascade);
    }
}
