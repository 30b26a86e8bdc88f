using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class StatusPageGroupConfiguration : IEntityTypeConfiguration<StatusPageGroup>
{
    public void Configure(EntityTypeBuilder<StatusPageGroup> builder)
    {
        builder.ToTable("status_page_groups");
        builder.Property(g => g.Name).HasMaxLength(StatusPageGroup.NameMaxLength);
        builder.HasIndex(g => g.StatusPageId);
    }
}
