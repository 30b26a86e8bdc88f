namespace Watchtower.Probes.Dns;

public enum DnsExpectation
{
    /// <summary>At least one answer of the asked type.</summary>
    AnyAnswer = 0,
    /// <summary>The answers include every expected value.</summary>
    Contains,
    /// <summary>The answers are exactly the expected values (order does not matter).</summary>
    Equals,
}
