using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class CheckStateChangeConfiguration : IEntityTypeConfiguration<CheckStateChange>
{
    public void Configure(EntityTypeBuilder<CheckStateChange> builder)
    {
        builder.ToTable("check_state_changes");
        builder.Property(s => s.From).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.To).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Reason).HasMaxLength(Check.MessageMaxLength);
        builder.HasIndex(s => new { s.CheckId, s.At });
        builder.HasOne<Check>().WithMany().HasForeignKey(s => s.CheckId).OnDelete(DeleteBehavior.Cascade);
    }
}
