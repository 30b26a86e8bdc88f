namespace Watchtower.Probes;

/// <summary>
/// Why a run was not up: a probe that could not measure (refused, timeout…) or a verdict on what it
/// measured (status, keyword, certificate, slow…). One fixed set across all kinds; stored by name,
/// except in the raw results, which store the number to stay narrow: never renumber a member.
/// </summary>
public enum FailureReason
{
    None = 0,
    /// <summary>No such name, no address, or the resolver failed.</summary>
    Dns = 1,
    /// <summary>The egress guard refused to dial the address.</summary>
    Blocked = 2,
    /// <summary>The target actively refused the connection (RST on SYN).</summary>
    Refused = 3,
    /// <summary>No answer in time (connect or the whole probe).</summary>
    Timeout = 4,
    /// <summary>No route to the host or network.</summary>
    Unreachable = 5,
    /// <summary>The connection was reset after it was established.</summary>
    Reset = 6,
    /// <summary>TLS handshake or certificate failure.</summary>
    Tls = 7,
    /// <summary>Connected, but the service said nothing before the read timeout.</summary>
    Silent = 8,
    /// <summary>The service answered, but not as expected.</summary>
    UnexpectedResponse = 9,
    /// <summary>Anything else (a bug or an unexpected exception).</summary>
    Error = 10,
    /// <summary>HTTP: the status code is not one of the expected ones.</summary>
    Status = 11,
    /// <summary>HTTP: the body lacks a required keyword, or has a forbidden one.</summary>
    Keyword = 12,
    /// <summary>SEO: a rule the owner made count found a problem.</summary>
    Seo = 13,
    /// <summary>The certificate is valid but expires within the check's threshold.</summary>
    CertificateExpiring = 14,
    /// <summary>The service answered, but slower than the check's threshold.</summary>
    Slow = 15,
}
