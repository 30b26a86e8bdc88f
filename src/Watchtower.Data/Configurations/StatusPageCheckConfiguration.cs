using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class StatusPageCheckConfiguration : IEntityTypeConfiguration<StatusPageCheck>
{
    public void Configure(EntityTypeBuilder<StatusPageCheck> builder)
    {
        builder.ToTable("status_page_checks");
        builder.HasKey(x => new { x.StatusPageId, x.CheckId });
        builder.HasOne(x => x.StatusPage).WithMany(p => p.Checks).HasForeignKey(x => x.StatusPageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Check).WithMany(c => c.StatusPages).HasForeignKey(x => x.CheckId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => x.CheckId);
        // Removing a group leaves its components on the page, ungrouped.
        builder.HasOne(x => x.Group).WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.SetNull);
    }
}
