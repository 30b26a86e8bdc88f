namespace Watchtower.Probes;

/// <summary>The kind of check a probe performs. Stored by name; keep names stable.</summary>
public enum ProbeKind
{
    Tcp = 1,
    Http = 2,
    Dns = 3,
    Ssl = 4,
    Seo = 5,
}
