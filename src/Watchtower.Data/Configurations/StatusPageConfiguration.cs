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
        builder.Property(p => p.LogoHash).HasMaxLength(64);
        builder.Property(p => p.LogoContentType).HasMaxLength(20);
        builder.Property(p => p.SiteUrl).HasMaxLength(StatusPage.SiteUrlMaxLength);
        builder.Property(p => p.AccentColor).HasMaxLength(7);
        builder.Property(p => p.Visibility).HasConversion<string>().HasMaxLength(20).HasDefaultValue(StatusPageVisibility.Public).HasSentinel((StatusPageVisibility)(-1));
        builder.Property(p => p.PasswordHash).HasMaxLength(200);
        builder.Property(p => p.CustomDomain).HasMaxLength(StatusPage.DomainMaxLength);
        builder.Property(p => p.DomainToken).HasMaxLength(64);
        // One page per host name, whichever team: the Host header must name one page.
        builder.HasIndex(p => p.CustomDomain).IsUnique();
        builder.HasMany(p => p.Groups).WithOne().HasForeignKey(g => g.StatusPageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StatusPageLogo>().WithOne().HasForeignKey<StatusPageLogo>(l => l.StatusPageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Team>().WithMany().HasForeignKey(p => p.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}
