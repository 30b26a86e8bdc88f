namespace Watchtower.Probes;

/// <summary>
/// Why a run was not up: a probe that could not measure (refused, timeout…) or a verdict on what it
/// measured (status, keyword, certificate, slow…). One fixed set across all kinds; stored by name.
/// </summary>
public enum FailureReason
{
    None = 0,
    /// <summary>No such name, no address, or the resolver failed.</summary>
    Dns,
    /// <summary>The egress guard refused to dial the address.</summary>
    Blocked,
    /// <summary>The target actively refused the connection (RST on SYN).</summary>
    Refused,
    /// <summary>No answer in time (connect or the whole probe).</summary>
    Timeout,
    /// <summary>No route to the host or network.</summary>
    Unreachable,
    /// <summary>The connection was reset after it was established.</summary>
    Reset,
    /// <summary>TLS handshake or certificate failure.</summary>
    Tls,
    /// <summary>Connected, but the service said nothing before the read timeout.</summary>
    Silent,
    /// <summary>The service answered, but not as expected.</summary>
    UnexpectedResponse,
    /// <summary>Anything else (a bug or an unexpected exception).</summary>
    Error,
    /// <summary>HTTP: the status code is not one of the expected ones.</summary>
    Status,
    /// <summary>HTTP: the body lacks a required keyword, or has a forbidden one.</summary>
    Keyword,
    /// <summary>SEO: a rule the owner made count found a problem.</summary>
    Seo,
    /// <summary>The certificate is valid but expires within the check's threshold.</summary>
    CertificateExpiring,
    /// <summary>The service answered, but slower than the check's threshold.</summary>
    Slow,
}
