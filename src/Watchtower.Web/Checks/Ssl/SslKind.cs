using Watchtower.Probes;
using Watchtower.Probes.Ssl;

namespace Watchtower.Web.Checks.Ssl;

/// <summary>SSL certificate checks: reach a TLS handshake and judge the certificate presented.</summary>
public sealed class SslKind : CheckKind<SslSettings>
{
    public override ProbeKind Kind => ProbeKind.Ssl;
    public override string Label => "SSL certificate";
    public override string Hint => "Watchtower reads the certificate on every run: expired, untrusted, weak, wrong-host or soon-expiring certificates are caught before your visitors see them.";
    public override string NamePlaceholder => "Certificate of www.example.com";
    public override string TargetNoun => "host and port";

    protected override SslSettings Get(CheckForm form) => form.Ssl;

    protected override void Set(CheckForm form, SslSettings settings) => form.Ssl = settings;

    protected override SslSettings Validate(SslSettings settings, CheckValidation context, FieldErrors.Scoped errors)
    {
        var host = Fields.Host(settings.Host, context, errors);
        Fields.Port(settings.Port, errors);
        if (!Enum.IsDefined(settings.StartTls))
        {
            errors.Add(nameof(SslSettings.StartTls), "Choose how to reach TLS from the list.");
        }

        Fields.Within(settings.ReadTimeoutSeconds, 1, 60, errors, nameof(SslSettings.ReadTimeoutSeconds), "Enter a read timeout from 1 to 60 seconds.");
        Fields.Within(settings.WarningDays, 0, 365, errors, nameof(SslSettings.WarningDays), "Enter 0 to 365 days.");
        Fields.Within(settings.CriticalDays, 0, 365, errors, nameof(SslSettings.CriticalDays), "Enter 0 to 365 days.");
        if (!errors.Has(nameof(SslSettings.WarningDays)) && !errors.Has(nameof(SslSettings.CriticalDays)) && settings.CriticalDays > settings.WarningDays)
        {
            errors.Add(nameof(SslSettings.CriticalDays), $"Down comes before degraded: use at most the {settings.WarningDays} days of the degraded threshold.");
        }

        return settings with { Host = host, ServerName = Fields.CertificateName(settings.ServerName, errors, nameof(SslSettings.ServerName)) };
    }

    protected override string Describe(SslSettings settings) =>
        (settings.StartTls switch
        {
            StartTlsProtocol.Smtp => "TLS after SMTP STARTTLS",
            StartTlsProtocol.Imap => "TLS after IMAP STARTTLS",
            StartTlsProtocol.Pop3 => "TLS after POP3 STLS",
            _ => "TLS from the start",
        })
        + (settings.ServerName is { } name ? $", certificate for {name}" : "")
        + $"; degraded within {settings.WarningDays} days of expiry, down within {settings.CriticalDays}";

    protected override KindSeed Seed(SslSettings settings) => new(settings.Host, settings.Port, null);

    public override IKindSettings Seeded(KindSeed seed) => new SslSettings
    {
        Host = seed.Host ?? Tcp.TcpKind.HostOf(seed.Url) ?? "",
        Port = seed.Port ?? (Uri.TryCreate(seed.Url, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps ? url.Port : 443),
    };
}
