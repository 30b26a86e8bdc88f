using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class CheckResultConfiguration : IEntityTypeConfiguration<CheckResult>
{
    public void Configure(EntityTypeBuilder<CheckResult> builder)
    {
        builder.ToTable("check_results");
        builder.Property(r => r.Message).HasMaxLength(Check.MessageMaxLength);
        builder.Property(r => r.RemoteEndpoint).HasMaxLength(CheckResult.EndpointMaxLength);
        builder.Property(r => r.Banner).HasMaxLength(CheckResult.BannerMaxLength);
        builder.Property(r => r.CertificateSubject).HasMaxLength(CheckResult.BannerMaxLength);
        builder.Property(r => r.CertificateIssuer).HasMaxLength(CheckResult.BannerMaxLength);
        builder.Property(r => r.CertificateProblem).HasMaxLength(Check.MessageMaxLength);
        builder.Property(r => r.TlsProtocol).HasMaxLength(16);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Reason).HasConversion<string>().HasMaxLength(24);
        // Results are read newest-first per check; the FK column must be indexed (gatus#1545).
        builder.HasIndex(r => new { r.CheckId, r.CheckedAt });
        builder.HasOne<Check>().WithMany().HasForeignKey(r => r.CheckId).OnDelete(DeleteBehavior.Cascade);
    }
}
