using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> builder)
    {
        builder.ToTable("incidents");
        builder.Property(i => i.Title).HasMaxLength(Incident.TitleMaxLength);
        builder.Property(i => i.Status).HasMaxLength(16);
        builder.Property(i => i.Impact).HasMaxLength(16);
        builder.Ignore(i => i.IsOpen);
        // The public page: a page's incidents, newest first; the owner's list the same.
        builder.HasIndex(i => new { i.StatusPageId, i.CreatedAt });
        builder.HasIndex(i => i.TeamId);
        // The recorder's question: the open automatic incidents of a check.
        builder.HasIndex(i => new { i.CheckId, i.ResolvedAt });
        builder.HasOne<Team>().WithMany().HasForeignKey(i => i.TeamId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(i => i.StatusPage).WithMany().HasForeignKey(i => i.StatusPageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Check>().WithMany().HasForeignKey(i => i.CheckId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Incident>().WithMany().HasForeignKey(i => i.MergedIntoId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class IncidentUpdateConfiguration : IEntityTypeConfiguration<IncidentUpdate>
{
    public void Configure(EntityTypeBuilder<IncidentUpdate> builder)
    {
        builder.ToTable("incident_updates");
        builder.Property(u => u.Status).HasMaxLength(16);
        builder.Property(u => u.Body).HasMaxLength(IncidentUpdate.BodyMaxLength);
        builder.HasIndex(u => new { u.IncidentId, u.At });
        builder.HasOne(u => u.Incident).WithMany(i => i.Updates).HasForeignKey(u => u.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IncidentComponentConfiguration : IEntityTypeConfiguration<IncidentComponent>
{
    public void Configure(EntityTypeBuilder<IncidentComponent> builder)
    {
        builder.ToTable("incident_components");
        builder.HasKey(c => new { c.IncidentId, c.CheckId });
        builder.Property(c => c.Status).HasMaxLength(24);
        builder.HasIndex(c => c.CheckId);
        builder.HasOne(c => c.Incident).WithMany(i => i.Components).HasForeignKey(c => c.IncidentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.Check).WithMany().HasForeignKey(c => c.CheckId).OnDelete(DeleteBehavior.Cascade);
    }
}
