using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class SubscriberConfiguration : IEntityTypeConfiguration<Subscriber>
{
    public void Configure(EntityTypeBuilder<Subscriber> builder)
    {
        builder.ToTable("subscribers");
        builder.Property(s => s.Kind).HasMaxLength(16);
        builder.Property(s => s.State).HasMaxLength(16);
        builder.Property(s => s.Email).HasMaxLength(Subscriber.EmailMaxLength);
        builder.Property(s => s.Url).HasMaxLength(Subscriber.UrlMaxLength);
        builder.Property(s => s.ProtectedSecret).HasMaxLength(4000);
        builder.Property(s => s.ConfirmTokenHash).HasMaxLength(64);
        // One subscription per page and address (nulls, the webhooks, are distinct).
        builder.HasIndex(s => new { s.StatusPageId, s.Email }).IsUnique();
        builder.HasIndex(s => s.ConfirmTokenHash);
        builder.HasIndex(s => s.TeamId);
        builder.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.StatusPage).WithMany().HasForeignKey(s => s.StatusPageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SubscriberComponentConfiguration : IEntityTypeConfiguration<SubscriberComponent>
{
    public void Configure(EntityTypeBuilder<SubscriberComponent> builder)
    {
        builder.ToTable("subscriber_components");
        builder.HasKey(c => new { c.SubscriberId, c.CheckId });
        builder.HasIndex(c => c.CheckId);
        builder.HasOne<Subscriber>().WithMany(s => s.Components).HasForeignKey(c => c.SubscriberId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Check>().WithMany().HasForeignKey(c => c.CheckId).OnDelete(DeleteBehavior.Cascade);
    }
}
