using Watchtower.Probes;
using Watchtower.Probes.Dns;

namespace Watchtower.Web.Checks.Dns;

/// <summary>DNS checks: one question to a resolver, and what the answer must hold.</summary>
public sealed class DnsKind : CheckKind<DnsSettings>
{
    public const int MaxValues = 50;

    public override ProbeKind Kind => ProbeKind.Dns;
    public override string Label => "DNS";
    public override string Hint => "Watchtower asks a resolver for the record on every run and checks the answer.";
    public override string NamePlaceholder => "DNS of example.com";
    public override string TargetNoun => "name";

    protected override DnsSettings Get(CheckForm form) => form.Dns;

    protected override void Set(CheckForm form, DnsSettings settings) => form.Dns = settings;

    protected override DnsSettings Validate(DnsSettings settings, CheckValidation context, FieldErrors.Scoped errors)
    {
        // A DNS check only asks a resolver about the name; it never dials it, so no egress rule applies to it.
        if (!HostInput.TryNormalizeRecordName(settings.Name, out var name, out var nameError))
        {
            errors.Add(nameof(DnsSettings.Name), nameError);
            name = settings.Name?.Trim() ?? "";
        }

        if (!Enum.IsDefined(settings.RecordType) || !Enum.IsDefined(settings.Expectation) || !Enum.IsDefined(settings.Transport))
        {
            errors.Add(nameof(DnsSettings.RecordType), "Choose a record type, a transport and an expectation from the lists.");
        }

        var resolver = CheckValidation.NullIfBlank(settings.Resolver?.Trim());
        if (resolver is not null)
        {
            if (resolver.Length > 60 || !DnsProbe.TryParseResolver(resolver, out var endpoint))
            {
                errors.Add(nameof(DnsSettings.Resolver), "Enter the resolver as an IP address, with :port if it is not 53 (e.g. 9.9.9.9 or [2001:db8::53]:5353).");
            }
            else if (context.WhyBlocked(endpoint.Address) is { } blocked)
            {
                errors.Add(nameof(DnsSettings.Resolver), blocked);
            }
        }

        var values = (settings.Values ?? []).Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        if (settings.Expectation != DnsExpectation.AnyAnswer && values.Count == 0)
        {
            errors.Add(nameof(DnsSettings.Values), "Enter the values the answers must contain, one per line.");
        }
        else if (values.Count > MaxValues || values.Any(v => v.Length > 500))
        {
            errors.Add(nameof(DnsSettings.Values), $"Enter at most {MaxValues} values of at most 500 characters each.");
        }

        return settings with
        {
            Name = name,
            Resolver = resolver,
            Values = settings.Expectation == DnsExpectation.AnyAnswer ? [] : values,
        };
    }

    protected override string Describe(DnsSettings settings) =>
        $"{settings.RecordType} record{(settings.Transport == DnsTransport.Tcp ? " over TCP" : "")}"
        + settings.Expectation switch
        {
            DnsExpectation.Contains => $", answers include {string.Join(", ", settings.Values)}",
            DnsExpectation.Equals => $", answers are exactly {string.Join(", ", settings.Values)}",
            _ => ", any answer",
        };

    protected override KindSeed Seed(DnsSettings settings) => new(settings.Name, null, null);

    public override IKindSettings Seeded(KindSeed seed) => new DnsSettings { Name = seed.Host ?? Tcp.TcpKind.HostOf(seed.Url) ?? "" };
}
