using System.Globalization;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Evaluation;

/// <summary>Days left on a certificate, counted the same way wherever it is judged or shown.</summary>
public static class CertificateExpiry
{
    /// <summary>Whole days until expiry (5 days and 20 hours → 5); negative once expired, counted in whole days too (2 days and some minutes ago → -2).</summary>
    public static int DaysLeft(CertificateFacts certificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var span = certificate.NotAfter - at;
        return span >= TimeSpan.Zero ? (int)Math.Floor(span.TotalDays) : -(int)Math.Floor(-span.TotalDays);
    }

    public static bool IsExpired(CertificateFacts certificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.NotAfter <= at;
    }

    /// <summary>"expires in 5 days (2026-11-29)", "expires in less than a day (…)", "expired 2 days ago (2026-11-21)".</summary>
    public static string Describe(CertificateFacts certificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var date = certificate.NotAfter.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var days = DaysLeft(certificate, at);
        return IsExpired(certificate, at) ? $"expired {(days == 0 ? "less than a day" : Days(-days))} ago ({date})" : $"expires in {Days(days)} ({date})";
    }

    /// <summary>"less than a day", "1 day", "12 days".</summary>
    public static string Days(int days) => days switch
    {
        <= 0 => "less than a day",
        1 => "1 day",
        _ => string.Create(CultureInfo.InvariantCulture, $"{days} days"),
    };
}
