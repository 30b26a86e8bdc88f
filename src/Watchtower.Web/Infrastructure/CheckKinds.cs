using Watchtower.Data.Entities;
using Watchtower.Probes;
using Watchtower.Probes.Dns;

namespace Watchtower.Web.Infrastructure;

/// <summary>The kinds the forms offer, and how each kind's target is described.</summary>
public static class CheckKinds
{
    public static readonly ProbeKind[] Offered = [ProbeKind.Tcp, ProbeKind.Http, ProbeKind.Dns, ProbeKind.Ssl, ProbeKind.Seo];

    public static string Label(ProbeKind kind) => kind switch
    {
        ProbeKind.Http => "HTTP(S)",
        ProbeKind.Dns => "DNS",
        ProbeKind.Ssl => "SSL certificate",
        ProbeKind.Seo => "SEO",
        _ => "TCP",
    };

    public static string Hint(ProbeKind kind) => kind switch
    {
        ProbeKind.Http => "Watchtower requests the URL on every run and checks the status code, the content and the response time.",
        ProbeKind.Dns => "Watchtower asks a resolver for the record on every run and checks the answer.",
        ProbeKind.Seo => "Watchtower fetches the page, its robots.txt and sitemap on every run and reports what would hurt its search ranking.",
        ProbeKind.Ssl => "Watchtower reads the certificate on every run: expired, untrusted, wrong-host or soon-expiring certificates are caught before your visitors see them.",
        _ => "Watchtower connects to the port on every run. A refused or silent port makes the check go down.",
    };

    /// <summary>"mail.example.com:25", "https://example.com/health", "MX example.com".</summary>
    public static string Target(Check check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var settings = KindSettings.Parse(check.SettingsJson);
        return check.Kind switch
        {
            ProbeKind.Http or ProbeKind.Seo => settings.Http?.Url ?? check.Host,
            ProbeKind.Dns => $"{settings.Dns?.RecordType ?? DnsRecordType.A} {check.Host}" + (settings.Dns?.Resolver is { } resolver ? $" @ {resolver}" : ""),
            _ => Targets.Display(check.Host, check.Port),
        };
    }
}
