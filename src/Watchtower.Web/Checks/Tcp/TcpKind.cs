using Watchtower.Probes;
using Watchtower.Probes.Tcp;

namespace Watchtower.Web.Checks.Tcp;

/// <summary>TCP checks: a port, and the protocol of the service behind it.</summary>
public sealed class TcpKind : CheckKind<TcpSettings>
{
    public const int SendMaxLength = 4000;
    public const int ExpectMaxLength = 500;

    public override ProbeKind Kind => ProbeKind.Tcp;
    public override string Label => "TCP";
    public override string Hint => "Watchtower connects to the port on every run and, if you pick a service, speaks its protocol. A refused or silent port makes the check go down.";
    public override string NamePlaceholder => "Mail server (SMTP)";
    public override string TargetNoun => "host and port";

    protected override TcpSettings Get(CheckForm form) => form.Tcp;

    protected override void Set(CheckForm form, TcpSettings settings) => form.Tcp = settings;

    protected override TcpSettings Validate(TcpSettings settings, CheckValidation context, FieldErrors.Scoped errors)
    {
        var host = Fields.Host(settings.Host, context, errors);
        Fields.Port(settings.Port, errors);
        if (!Enum.IsDefined(settings.Service))
        {
            errors.Add(nameof(TcpSettings.Service), "Choose a service from the list.");
            return settings with { Host = host };
        }

        var preset = TcpServices.Of(settings.Service);
        var custom = settings.Service == TcpService.Custom;
        // Fields that do not act on the chosen service are dropped rather than stored unused.
        var normalized = settings with
        {
            Host = host,
            StartTls = settings.StartTls && preset.CanStartTls,
            ImplicitTls = settings.ImplicitTls && custom,
            Send = custom && !string.IsNullOrEmpty(settings.Send) ? settings.Send : null,
            Expect = custom && !string.IsNullOrEmpty(settings.Expect) ? settings.Expect : null,
            SendFormat = custom ? settings.SendFormat : PayloadFormat.Text,
            ExpectMode = custom ? settings.ExpectMode : ExpectMode.Contains,
        };

        if (custom)
        {
            if (!Enum.IsDefined(normalized.SendFormat) || !Enum.IsDefined(normalized.ExpectMode))
            {
                errors.Add(nameof(TcpSettings.Send), "Choose how to send and how to match.");
            }
            else
            {
                Fields.MaxLength(normalized.Send, SendMaxLength, errors, nameof(TcpSettings.Send));
                Fields.MaxLength(normalized.Expect, ExpectMaxLength, errors, nameof(TcpSettings.Expect));
                if (!errors.Has(nameof(TcpSettings.Send)) && !Payload.TryParse(normalized.Send, normalized.SendFormat, out _, out var payloadError))
                {
                    errors.Add(nameof(TcpSettings.Send), payloadError);
                }

                if (normalized.ExpectMode == ExpectMode.Regex)
                {
                    Fields.Pattern(normalized.Expect, errors, nameof(TcpSettings.Expect));
                }
            }
        }

        if (normalized.Service == TcpService.PortOpen)
        {
            normalized = normalized with { ReadTimeoutSeconds = new TcpSettings().ReadTimeoutSeconds };
        }
        else
        {
            Fields.Within(normalized.ReadTimeoutSeconds, 1, 60, errors, nameof(TcpSettings.ReadTimeoutSeconds), "Enter a read timeout from 1 to 60 seconds.");
        }

        if (!normalized.UsesTls)
        {
            return normalized with { CertificateName = null, CertificateWarningDays = new TcpSettings().CertificateWarningDays };
        }

        Fields.Within(normalized.CertificateWarningDays, 0, 365, errors, nameof(TcpSettings.CertificateWarningDays), "Enter 0 to 365 days.");
        return normalized with { CertificateName = Fields.CertificateName(normalized.CertificateName, errors, nameof(TcpSettings.CertificateName)) };
    }

    protected override string Describe(TcpSettings settings) =>
        (Enum.IsDefined(settings.Service) ? TcpServices.Of(settings.Service).Label : settings.Service.ToString())
        + (settings.StartTls && settings.UsesTls ? " with STARTTLS" : "")
        + (settings.Service == TcpService.Custom && settings.ImplicitTls ? " over TLS" : "");

    protected override KindSeed Seed(TcpSettings settings) => new(settings.Host, settings.Port > 0 ? settings.Port : null, null);

    public override IKindSettings Seeded(KindSeed seed)
    {
        var port = seed.Port ?? 0;
        return new TcpSettings
        {
            Host = seed.Host ?? HostOf(seed.Url) ?? "",
            Port = port,
            Service = port > 0 ? TcpServices.SuggestFor(port) : TcpService.PortOpen,
        };
    }

    internal static string? HostOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.IdnHost.Trim('[', ']') : null;
}
