using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class StatusPageConfiguration : IEntityTypeConfiguration<StatusPage>
{
    public void Configure(EntityTypeBuilder<StatusPage> builder)
    {
        builder.ToTable("status_pages");
        builder.Property(p => p.Name).HasMaxLength(StatusPage.NameMaxLength);
        builder.Property(p => p.Slug).HasMaxLength(StatusPage.SlugMaxLength);
        builder.Property(p => p.Description).HasMaxLength(StatusPage.DescriptionMaxLength);
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.HasIndex(p => p.TeamId);
        builder.HasOne<Team>().WithMany().HasForeignKey(p => p.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}
