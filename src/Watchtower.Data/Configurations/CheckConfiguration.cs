using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class CheckConfiguration : IEntityTypeConfiguration<Check>
{
    public void Configure(EntityTypeBuilder<Check> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("checks");
        builder.Property(c => c.Name).HasMaxLength(Check.NameMaxLength);
        builder.Property(c => c.Location).HasMaxLength(Check.LocationMaxLength);
        builder.Property(c => c.LastMessage).HasMaxLength(Check.MessageMaxLength);
        builder.Property(c => c.Kind).HasMaxLength(16);
        builder.Property(c => c.State).HasMaxLength(16);
        builder.Property(c => c.LastReason).HasMaxLength(24);
        builder.Property(c => c.LastPublicMessage).HasMaxLength(Check.MessageMaxLength);

        // One JSON column per kind, holding that kind's settings record as the form, the probe and
        // the evaluator see it (enums by name, see WatchtowerDbContext.ConfigureConventions).
        builder.Ignore(c => c.Settings);
        builder.Ignore(c => c.SettingsIfAny);
        builder.ComplexProperty(c => c.Tcp, tcp => tcp.ToJson("tcp"));
        builder.ComplexProperty(c => c.Http, http =>
        {
            http.ToJson("http");
            http.ComplexCollection(h => h.Headers);
        });
        builder.ComplexProperty(c => c.Dns, dns => dns.ToJson("dns"));
        builder.ComplexProperty(c => c.Ssl, ssl => ssl.ToJson("ssl"));
        builder.ComplexProperty(c => c.Seo, seo =>
        {
            seo.ToJson("seo");
            seo.ComplexCollection(s => s.Rules);
        });

        builder.HasIndex(c => c.TeamId);
        // The dispatcher's claim query: one location's enabled checks in due order (a location
        // without a worker keeps its overdue checks out of the other locations' scans).
        builder.HasIndex(c => new { c.Enabled, c.Location, c.NextRunAt });
        // A batch loads its checks by lease; the dispatcher counts the leases in flight.
        builder.HasIndex(c => c.LeaseId);
        builder.HasOne<Team>().WithMany().HasForeignKey(c => c.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The check's concurrency token differs by provider; <see cref="WatchtowerDbContext"/> applies the one of its database.</summary>
internal static class CheckVersion
{
    public static void Configure(EntityTypeBuilder<Check> builder, DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            // xmin changes with every update of the row, whoever makes it: no column to maintain.
            builder.Property(c => c.Version).IsRowVersion();
        }
        else
        {
            // Bumped by WatchtowerDbContext on every save of a changed check.
            builder.Property(c => c.Version).IsConcurrencyToken();
        }
    }
}
