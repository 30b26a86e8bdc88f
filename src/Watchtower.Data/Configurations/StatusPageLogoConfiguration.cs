using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class StatusPageLogoConfiguration : IEntityTypeConfiguration<StatusPageLogo>
{
    public void Configure(EntityTypeBuilder<StatusPageLogo> builder)
    {
        builder.ToTable("status_page_logos");
        builder.HasKey(l => l.StatusPageId);
    }
}
