using System.Collections.Frozen;
using Watchtower.Probes;

namespace Watchtower.Web.Checks;

/// <summary>The kinds the forms offer, in the order they are offered.</summary>
public static class CheckKinds
{
    public static readonly IReadOnlyList<ICheckKind> All =
    [
        new Tcp.TcpKind(),
        new Http.HttpKind(),
        new Dns.DnsKind(),
        new Ssl.SslKind(),
        new Seo.SeoKind(),
    ];

    private static readonly FrozenDictionary<ProbeKind, ICheckKind> ByKind = All.ToFrozenDictionary(k => k.Kind);

    public static ICheckKind Of(ProbeKind kind) =>
        ByKind.TryGetValue(kind, out var found) ? found : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of check.");

    public static bool IsOffered(ProbeKind kind) => ByKind.ContainsKey(kind);

    public static string Label(ProbeKind kind) => ByKind.TryGetValue(kind, out var found) ? found.Label : kind.ToString();
}
