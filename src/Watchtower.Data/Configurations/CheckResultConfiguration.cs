using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class CheckResultConfiguration : IEntityTypeConfiguration<CheckResult>
{
    public void Configure(EntityTypeBuilder<CheckResult> builder)
    {
        // On PostgreSQL the table is partitioned by day; the migration creates it with raw SQL
        // (EF cannot declare partitions) and the model maps it like any table.
        builder.ToTable("check_results");

        // No surrogate id: the key is the only index, and it answers "latest runs of a check"
        // (gatus#1545: the check column must be indexed). Two runs of one check at the same
        // instant are a duplicate, which the key refuses.
        builder.HasKey(r => new { r.CheckId, r.CheckedAt });

        // Numbers, not names (the convention elsewhere): two bytes each instead of a string.
        builder.Property(r => r.Status).HasConversion<short>();
        builder.Property(r => r.Reason).HasConversion<short>();
        builder.HasOne<Check>().WithMany().HasForeignKey(r => r.CheckId).OnDelete(DeleteBehavior.Cascade);
    }
}
