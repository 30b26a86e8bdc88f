using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class CheckConfiguration : IEntityTypeConfiguration<Check>
{
    public void Configure(EntityTypeBuilder<Check> builder)
    {
        builder.ToTable("checks");
        builder.Property(c => c.Name).HasMaxLength(Check.NameMaxLength);
        builder.Property(c => c.Host).HasMaxLength(Check.HostMaxLength);
        builder.Property(c => c.Location).HasMaxLength(Check.LocationMaxLength);
        builder.Property(c => c.LastMessage).HasMaxLength(Check.MessageMaxLength);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.LastReason).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.LastPublicMessage).HasMaxLength(Check.MessageMaxLength);
        builder.Property(c => c.Service).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.SendFormat).HasConversion<string>().HasMaxLength(8);
        builder.Property(c => c.ExpectMode).HasConversion<string>().HasMaxLength(8);
        builder.Property(c => c.Send).HasMaxLength(Check.SendMaxLength);
        builder.Property(c => c.Expect).HasMaxLength(Check.ExpectMaxLength);
        builder.HasIndex(c => c.OwnerId);
        // The dispatcher's claim query: enabled checks in due order.
        builder.HasIndex(c => new { c.Enabled, c.NextRunAt });
        builder.HasOne<WatchtowerUser>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
