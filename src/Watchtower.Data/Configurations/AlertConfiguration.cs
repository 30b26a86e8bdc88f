using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class NotificationChannelConfiguration : IEntityTypeConfiguration<NotificationChannel>
{
    public void Configure(EntityTypeBuilder<NotificationChannel> builder)
    {
        builder.ToTable("notification_channels");
        builder.Property(c => c.Name).HasMaxLength(NotificationChannel.NameMaxLength);
        builder.Property(c => c.Kind).HasMaxLength(16);
        builder.Property(c => c.Addresses).HasMaxLength(NotificationChannel.AddressesMaxLength);
        builder.Property(c => c.Url).HasMaxLength(NotificationChannel.UrlMaxLength);
        builder.Property(c => c.UrlHint).HasMaxLength(NotificationChannel.NameMaxLength);
        builder.Property(c => c.ProtectedSecret).HasMaxLength(4000);
        builder.Property(c => c.LastError).HasMaxLength(NotificationChannel.ErrorMaxLength);
        builder.HasIndex(c => c.TeamId);
        builder.HasOne<Team>().WithMany().HasForeignKey(c => c.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CheckChannelConfiguration : IEntityTypeConfiguration<CheckChannel>
{
    public void Configure(EntityTypeBuilder<CheckChannel> builder)
    {
        builder.ToTable("check_channels");
        builder.HasKey(cc => new { cc.CheckId, cc.ChannelId });
        builder.HasIndex(cc => cc.ChannelId);
        builder.HasOne<Check>().WithMany().HasForeignKey(cc => cc.CheckId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(cc => cc.Channel).WithMany(c => c.Checks).HasForeignKey(cc => cc.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertEventConfiguration : IEntityTypeConfiguration<AlertEvent>
{
    public void Configure(EntityTypeBuilder<AlertEvent> builder)
    {
        builder.ToTable("alert_events");
        builder.Property(e => e.Type).HasMaxLength(24);
        builder.Property(e => e.Key).HasMaxLength(AlertEvent.KeyMaxLength);
        builder.Property(e => e.CheckName).HasMaxLength(Check.NameMaxLength);
        builder.Property(e => e.Message).HasMaxLength(AlertEvent.TextMaxLength);
        builder.Property(e => e.State).HasMaxLength(16);
        builder.Property(e => e.PreviousState).HasMaxLength(16);
        // The idempotency of the outbox: the same change recorded twice is one event.
        builder.HasIndex(e => e.Key).IsUnique();
        // Flapping control and reminders look at a check's recent events; retention at the oldest.
        builder.HasIndex(e => new { e.CheckId, e.At });
        builder.HasIndex(e => e.At);
        builder.HasOne<Team>().WithMany().HasForeignKey(e => e.TeamId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Check>().WithMany().HasForeignKey(e => e.CheckId).OnDelete(DeleteBehavior.SetNull);
        builder.Ignore(e => e.IsNotice);
        // Incident and maintenance notices: one event per timeline entry, and per window and kind.
        builder.HasIndex(e => e.IncidentUpdateId).IsUnique();
        builder.HasIndex(e => new { e.MaintenanceId, e.Type }).IsUnique();
        builder.HasOne<StatusPage>().WithMany().HasForeignKey(e => e.StatusPageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(e => e.Incident).WithMany().HasForeignKey(e => e.IncidentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(e => e.IncidentUpdate).WithMany().HasForeignKey(e => e.IncidentUpdateId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(e => e.Maintenance).WithMany().HasForeignKey(e => e.MaintenanceId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class AlertDeliveryConfiguration : IEntityTypeConfiguration<AlertDelivery>
{
    public void Configure(EntityTypeBuilder<AlertDelivery> builder)
    {
        builder.ToTable("alert_deliveries");
        builder.Property(d => d.Status).HasMaxLength(16);
        builder.Property(d => d.ResultCode).HasMaxLength(32);
        builder.Property(d => d.ResultMessage).HasMaxLength(AlertDelivery.ResultMaxLength);
        // The idempotency key of a delivery: one per event and channel.
        builder.HasIndex(d => new { d.EventId, d.ChannelId }).IsUnique();
        // And one per event and subscriber (nulls are distinct: channel rows do not clash here).
        builder.HasIndex(d => new { d.EventId, d.SubscriberId }).IsUnique();
        builder.HasIndex(d => d.SubscriberId);
        // The claimer's question: pending deliveries due now.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.ChannelId, d.CreatedAt });
        builder.HasIndex(d => new { d.CheckId, d.CreatedAt });
        builder.HasOne(d => d.Event).WithMany(e => e.Deliveries).HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(d => d.Channel).WithMany().HasForeignKey(d => d.ChannelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(d => d.Subscriber).WithMany().HasForeignKey(d => d.SubscriberId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Check>().WithMany().HasForeignKey(d => d.CheckId).OnDelete(DeleteBehavior.SetNull);
    }
}
