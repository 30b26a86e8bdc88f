using Watchtower.Probes;

namespace Watchtower.Data.Entities;

/// <summary>One execution of a check: the probe's facts and the evaluator's verdict.</summary>
public sealed class CheckResult
{
    public const int EndpointMaxLength = 64;
    public const int BannerMaxLength = 300;

    public long Id { get; set; }
    public int CheckId { get; set; }
    public DateTimeOffset CheckedAt { get; set; }
    public CheckState Status { get; set; }
    public FailureReason Reason { get; set; }
    public required string Message { get; set; }
    public int? LatencyMs { get; set; }
    public int? DnsMs { get; set; }
    public int? ConnectMs { get; set; }
    public int? TlsMs { get; set; }
    public int? FirstByteMs { get; set; }
    public int DurationMs { get; set; }
    public string? RemoteEndpoint { get; set; }
    public string? Banner { get; set; }

    public string? CertificateSubject { get; set; }
    public string? CertificateIssuer { get; set; }
    public DateTimeOffset? CertificateNotAfter { get; set; }
    public bool? CertificateValid { get; set; }
    public string? CertificateProblem { get; set; }
    public string? TlsProtocol { get; set; }

    /// <summary>Kind-specific facts as JSON: HTTP status, final URL and redirects; DNS answers; the certificate chain.</summary>
    public string? FactsJson { get; set; }
}
