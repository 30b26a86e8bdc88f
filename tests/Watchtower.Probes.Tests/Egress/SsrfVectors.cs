using System.Net;
using Watchtower.Probes.Dns;
using Watchtower.Probes.Http;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;
using static Watchtower.Probes.Tests.Egress.Outcome;

namespace Watchtower.Probes.Tests.Egress;

/// <summary>The two operator settings every vector runs under. The suite's operator also names 127.0.0.1 (the lab's own servers) in AllowedAddresses.</summary>
public enum Mode
{
    PrivateOff,
    PrivateOn,
}

/// <summary>What a vector must come to in one mode.</summary>
public enum Outcome
{
    /// <summary>The form refuses the value; fed to the probe anyway (a stored or API-made check), the probe refuses it as <c>blocked</c>. Nothing is dialled.</summary>
    Refused,
    /// <summary>The form refuses the value; the probe cannot read it as an address either (<c>error</c>). Nothing is dialled.</summary>
    Unreadable,
    /// <summary>The form accepts it (a name, or a URL whose answer redirects); the probe refuses it as <c>blocked</c>. Nothing is dialled.</summary>
    Blocked,
    /// <summary>SEO: the page is fetched; the robots.txt, sitemap or sitemap URL at a refused address is a finding, “was not fetched”. It is not dialled.</summary>
    Finding,
    /// <summary>Allowed in this mode: the probe dials the trap (the control that shows the instruments see a dial).</summary>
    Dialled,
    /// <summary>The form refuses the way it is written; the probe, fed it anyway, dials the address it means, which this mode allows: the guard judged what it dialled.</summary>
    RefusedDialled,
    /// <summary>The probe dials only the address it checked (home); the other answer (the trap, a metadata address) is never dialled and the name is looked up once.</summary>
    Checked,
}

/// <summary>One SSRF attempt: the check's settings (built against the vector's lab), and what it must come to with private targets off and on.</summary>
internal sealed record SsrfVector(string Name, Func<SsrfLab, IKindSettings> Settings, Outcome Off, Outcome On)
{
    /// <summary>Words the guard's refusal must hold, where the probe refuses.</summary>
    public string? Says { get; init; }

    /// <summary>The SEO rule the refusal is reported under.</summary>
    public string? Rule { get; init; }

    /// <summary>Entries the operator adds to AllowedAddresses for this vector.</summary>
    public string[] Named { get; init; } = [];

    /// <summary>A rebinding name: it must be looked up exactly once.</summary>
    public string? Rebinds { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// The SSRF vectors, one row each. Off/On: the outcome with AllowPrivateTargets false/true. The trap
/// (127.0.0.2:P) stands for a private host; platform endpoints stay refused in both modes.
/// </summary>
internal static class SsrfVectors
{
    private const string Metadata = "is a cloud metadata address";
    private const string NotEvenNamed = "not even when Watchtower:Probes:AllowedAddresses names it";

    /// <summary>What the lab's names resolve to (lookup n gets the n-th answer, the last repeats).</summary>
    public static readonly IReadOnlyDictionary<string, IPAddress[][]> Names = new Dictionary<string, IPAddress[][]>(StringComparer.OrdinalIgnoreCase)
    {
        ["trap.lab.test"] = [[Ip("127.0.0.2")]],
        ["metadata.google.internal"] = [[Ip("169.254.169.254")]],
        ["ecs.lab.test"] = [[Ip("169.254.170.2")]],
        ["zero.lab.test"] = [[Ip("0.0.0.0")]],
        ["mixed.lab.test"] = [[Ip("127.0.0.1"), Ip("169.254.169.254")]],
        ["mixed-metadata-first.lab.test"] = [[Ip("169.254.170.2"), Ip("127.0.0.1")]],
        ["mixed-v6.lab.test"] = [[Ip("127.0.0.1"), Ip("fd00:ec2::254")]],
        ["mixed-trap.lab.test"] = [[Ip("127.0.0.1"), Ip("127.0.0.2")]],
        ["mapped.lab.test"] = [[Ip("::ffff:169.254.169.254")]],
        ["nat64.lab.test"] = [[Ip("64:ff9b::a9fe:a9fe")]],
        ["169.254.169.254."] = [[Ip("169.254.169.254")]],
        // Rebinding: the first answer is checked and dialled; a second lookup would get the trap or the metadata address.
        ["rebind.lab.test"] = [[Ip("127.0.0.1")], [Ip("127.0.0.2")]],
        ["rebind-metadata.lab.test"] = [[Ip("127.0.0.1")], [Ip("169.254.169.254")]],
    };

    public static readonly IReadOnlyList<SsrfVector> All =
    [
        // ── TCP: every service, each at a platform endpoint ──────────────────────────────────
        new("tcp port-open → Azure WireServer health 168.63.129.16:32526", _ => Tcp("168.63.129.16", 32526, TcpService.PortOpen), Refused, Refused) { Says = "Azure WireServer" },
        new("tcp smtp → IMDS 169.254.169.254:25", _ => Tcp("169.254.169.254", 25, TcpService.Smtp), Refused, Refused) { Says = Metadata },
        new("tcp smtps → AWS IMDS IPv6 fd00:ec2::254:465", _ => Tcp("fd00:ec2::254", 465, TcpService.Smtps), Refused, Refused) { Says = "AWS instance metadata over IPv6" },
        new("tcp imap → ECS 169.254.170.2:143", _ => Tcp("169.254.170.2", 143, TcpService.Imap), Refused, Refused) { Says = "ECS" },
        new("tcp imaps → EKS Pod Identity 169.254.170.23:993", _ => Tcp("169.254.170.23", 993, TcpService.Imaps), Refused, Refused) { Says = "Pod Identity" },
        new("tcp pop3 → EKS Pod Identity IPv6 fd00:ec2::23:110", _ => Tcp("fd00:ec2::23", 110, TcpService.Pop3), Refused, Refused) { Says = "Pod Identity" },
        new("tcp pop3s → Alibaba 100.100.100.200:995", _ => Tcp("100.100.100.200", 995, TcpService.Pop3s), Refused, Refused) { Says = "Alibaba" },
        new("tcp ftp → Tencent 169.254.0.23:21", _ => Tcp("169.254.0.23", 21, TcpService.Ftp), Refused, Refused) { Says = "Tencent" },
        new("tcp ssh → Oracle 192.0.0.192:22", _ => Tcp("192.0.0.192", 22, TcpService.Ssh), Refused, Refused) { Says = "Oracle" },
        new("tcp mysql → OpenStack IPv6 fe80::a9fe:a9fe:3306", _ => Tcp("fe80::a9fe:a9fe", 3306, TcpService.MySql), Refused, Refused) { Says = "OpenStack" },
        new("tcp postgres → mapped ::ffff:169.254.169.254:5432", _ => Tcp("::ffff:169.254.169.254", 5432, TcpService.Postgres), Refused, Refused) { Says = "which carries 169.254.169.254" },
        new("tcp redis → link-local 169.254.1.1:6379", _ => Tcp("169.254.1.1", 6379, TcpService.Redis), Refused, Refused) { Says = "link-local" },
        new("tcp rdp → AWS range fd00:ec2::1:3389", _ => Tcp("fd00:ec2::1", 3389, TcpService.Rdp), Refused, Refused) { Says = "AWS platform address" },
        new("tcp custom → 0.0.0.0:P (Linux dials this machine)", l => Tcp("0.0.0.0", l.P, TcpService.Custom), Refused, Refused) { Says = "\"this network\"" },

        // ── TCP: encodings, names, rebinding, the allow-list ─────────────────────────────────
        new("tcp → trap 127.0.0.2:P", l => Tcp("127.0.0.2", l.P), Refused, Dialled) { Says = "loopback" },
        new("tcp → decimal 2130706434 (127.0.0.2)", l => Tcp("2130706434", l.P), Refused, RefusedDialled),
        new("tcp → hex short 0x7f.2 (127.0.0.2)", l => Tcp("0x7f.2", l.P), Refused, RefusedDialled),
        new("tcp → octal 017700000002 (127.0.0.2)", l => Tcp("017700000002", l.P), Refused, RefusedDialled),
        new("tcp → octal dotted 0177.0.0.2", l => Tcp("0177.0.0.2", l.P), Refused, RefusedDialled),
        new("tcp → short 127.2", l => Tcp("127.2", l.P), Refused, RefusedDialled),
        new("tcp → mapped ::ffff:127.0.0.2", l => Tcp("::ffff:127.0.0.2", l.P), Refused, Dialled) { Says = "which carries 127.0.0.2" },
        new("tcp → decimal 2852039166 (169.254.169.254)", _ => Tcp("2852039166", 80), Refused, Refused) { Says = Metadata },
        new("tcp → IPv4-compatible ::169.254.169.254", _ => Tcp("::169.254.169.254", 80), Refused, Refused) { Says = "reserved IPv6" },
        new("tcp → NAT64 64:ff9b::a9fe:a9fe", _ => Tcp("64:ff9b::a9fe:a9fe", 80), Refused, Refused) { Says = Metadata },
        new("tcp → 6to4 2002:a9fe:a9fe::", _ => Tcp("2002:a9fe:a9fe::", 80), Refused, Refused) { Says = Metadata },
        new("tcp → Teredo carrying 169.254.169.254", _ => Tcp("2001:0:4136:e378:8000:63bf:5601:5601", 80), Refused, Refused) { Says = Metadata },
        new("tcp → trailing-dot 169.254.169.254.", _ => Tcp("169.254.169.254.", 80), Refused, Refused) { Says = Metadata },
        new("tcp → name metadata.google.internal", _ => Tcp("metadata.google.internal", 80), Blocked, Blocked) { Says = "metadata.google.internal resolves to 169.254.169.254" },
        new("tcp → name resolving to the trap", l => Tcp("trap.lab.test", l.P), Blocked, Dialled) { Says = "trap.lab.test resolves to 127.0.0.2" },
        new("tcp → name resolving to 0.0.0.0", l => Tcp("zero.lab.test", l.P), Blocked, Blocked) { Says = "\"this network\"" },
        new("tcp → name: home and metadata (refused whole)", l => Tcp("mixed.lab.test", l.P), Blocked, Blocked) { Says = "resolves to 169.254.169.254" },
        new("tcp → name: ECS first, then home", l => Tcp("mixed-metadata-first.lab.test", l.P), Blocked, Blocked) { Says = "resolves to 169.254.170.2" },
        new("tcp → name: home and fd00:ec2::254", l => Tcp("mixed-v6.lab.test", l.P), Blocked, Blocked) { Says = "resolves to fd00:ec2::254" },
        new("tcp → name: home and the trap", l => Tcp("mixed-trap.lab.test", l.P), Blocked, Checked) { Says = "resolves to 127.0.0.2" },
        new("tcp → name with a mapped AAAA", _ => Tcp("mapped.lab.test", 80), Blocked, Blocked) { Says = Metadata },
        new("tcp → name with a NAT64 AAAA", _ => Tcp("nat64.lab.test", 80), Blocked, Blocked) { Says = Metadata },
        new("tcp → rebinding: home, then the trap", l => Tcp("rebind.lab.test", l.P), Checked, Checked) { Rebinds = "rebind.lab.test" },
        new("tcp → rebinding: home, then metadata", l => Tcp("rebind-metadata.lab.test", l.P), Checked, Checked) { Rebinds = "rebind-metadata.lab.test" },
        new("tcp → trap named in AllowedAddresses", l => Tcp("127.0.0.2", l.P), Dialled, Dialled) { Named = ["127.0.0.2"] },
        new("tcp → 169.254.169.254 named in AllowedAddresses", _ => Tcp("169.254.169.254", 80), Refused, Refused) { Named = ["169.254.169.254"], Says = NotEvenNamed },
        new("tcp → ECS inside a named 169.254.0.0/16", _ => Tcp("169.254.170.2", 80), Refused, Refused) { Named = ["169.254.0.0/16"], Says = NotEvenNamed },
        new("tcp → fd00:ec2::254 inside a named fd00:ec2::/32", _ => Tcp("fd00:ec2::254", 80), Refused, Refused) { Named = ["fd00:ec2::/32"], Says = NotEvenNamed },
        new("tcp → 168.63.129.16 named in AllowedAddresses", _ => Tcp("168.63.129.16", 80), Refused, Refused) { Named = ["168.63.129.16"], Says = NotEvenNamed },

        // ── SSL ──────────────────────────────────────────────────────────────────────────────
        new("ssl → IMDS 169.254.169.254:443", _ => Ssl("169.254.169.254", 443), Refused, Refused) { Says = Metadata },
        new("ssl → Azure WireServer 168.63.129.16:443", _ => Ssl("168.63.129.16", 443), Refused, Refused) { Says = "Azure WireServer" },
        new("ssl → AWS IMDS IPv6 [fd00:ec2::254]:443", _ => Ssl("fd00:ec2::254", 443), Refused, Refused) { Says = Metadata },
        new("ssl smtp starttls → ECS 169.254.170.2:587", _ => Ssl("169.254.170.2", 587, StartTlsProtocol.Smtp), Refused, Refused) { Says = "ECS" },
        new("ssl imap starttls → Alibaba 100.100.100.200:143", _ => Ssl("100.100.100.200", 143, StartTlsProtocol.Imap), Refused, Refused) { Says = "Alibaba" },
        new("ssl pop3 starttls → Oracle 192.0.0.192:110", _ => Ssl("192.0.0.192", 110, StartTlsProtocol.Pop3), Refused, Refused) { Says = "Oracle" },
        new("ssl → mapped ::ffff:a9fe:a9fe", _ => Ssl("::ffff:a9fe:a9fe", 443), Refused, Refused) { Says = Metadata },
        new("ssl → trap 127.0.0.2:P", l => Ssl("127.0.0.2", l.P), Refused, Dialled) { Says = "loopback" },
        new("ssl → hex short 0x7f.2", l => Ssl("0x7f.2", l.P), Refused, RefusedDialled),
        new("ssl → name metadata.google.internal", _ => Ssl("metadata.google.internal", 443), Blocked, Blocked) { Says = Metadata },
        new("ssl → name resolving to the trap", l => Ssl("trap.lab.test", l.P), Blocked, Dialled) { Says = "loopback" },
        new("ssl → name: home and metadata", l => Ssl("mixed.lab.test", l.P), Blocked, Blocked) { Says = Metadata },
        new("ssl → rebinding: home, then the trap", l => Ssl("rebind.lab.test", l.P), Checked, Checked) { Rebinds = "rebind.lab.test" },

        // ── DNS: the owner's resolver ────────────────────────────────────────────────────────
        new("dns resolver IMDS 169.254.169.254", _ => Dns("169.254.169.254"), Refused, Refused) { Says = Metadata },
        new("dns resolver Azure 168.63.129.16", _ => Dns("168.63.129.16"), Refused, Refused) { Says = "Azure WireServer" },
        new("dns resolver AWS IPv6 [fd00:ec2::253]:53", _ => Dns("[fd00:ec2::253]:53"), Refused, Refused) { Says = "AWS platform address" },
        new("dns resolver AWS VPC 169.254.169.253", _ => Dns("169.254.169.253"), Refused, Refused) { Says = "link-local" },
        new("dns resolver Alibaba 100.100.100.200", _ => Dns("100.100.100.200"), Refused, Refused) { Says = "Alibaba" },
        new("dns resolver mapped [::ffff:169.254.169.254]:53", _ => Dns("[::ffff:169.254.169.254]:53"), Refused, Refused) { Says = Metadata },
        new("dns resolver NAT64 64:ff9b::a9fe:a9fe", _ => Dns("64:ff9b::a9fe:a9fe"), Refused, Refused) { Says = Metadata },
        new("dns resolver 0.0.0.0:P", l => Dns($"0.0.0.0:{l.P}"), Refused, Refused) { Says = "\"this network\"" },
        new("dns resolver trap 127.0.0.2:P over UDP", l => Dns($"127.0.0.2:{l.P}"), Refused, Dialled) { Says = "loopback" },
        new("dns resolver trap 127.0.0.2:P over TCP", l => Dns($"127.0.0.2:{l.P}", DnsTransport.Tcp), Refused, Dialled) { Says = "loopback" },
        new("dns resolver decimal 2130706434:P", l => Dns($"2130706434:{l.P}"), Unreadable, Unreadable),
        new("dns resolver hex short 0x7f.2", _ => Dns("0x7f.2"), Unreadable, Unreadable),
        new("dns resolver as a name", _ => Dns("metadata.google.internal"), Unreadable, Unreadable),

        // ── HTTP: literals and encodings ─────────────────────────────────────────────────────
        new("http IMDS 169.254.169.254", _ => Http("http://169.254.169.254/latest/meta-data/"), Refused, Refused) { Says = Metadata },
        new("http decimal 2852039166", _ => Http("http://2852039166/latest/meta-data/"), Refused, Refused) { Says = Metadata },
        new("http hex dotted 0xa9.0xfe.0xa9.0xfe", _ => Http("http://0xa9.0xfe.0xa9.0xfe/"), Refused, Refused) { Says = Metadata },
        new("http octal 0251.0376.0251.0376", _ => Http("http://0251.0376.0251.0376/"), Refused, Refused) { Says = Metadata },
        new("http hex 0xa9fea9fe", _ => Http("http://0xa9fea9fe/"), Refused, Refused) { Says = Metadata },
        new("http mapped [::ffff:169.254.169.254]", _ => Http("http://[::ffff:169.254.169.254]/"), Refused, Refused) { Says = Metadata },
        new("http mapped hex [::ffff:a9fe:a9fe]", _ => Http("http://[::ffff:a9fe:a9fe]/"), Refused, Refused) { Says = Metadata },
        new("http IPv4-compatible [::169.254.169.254]", _ => Http("http://[::169.254.169.254]/"), Refused, Refused) { Says = "reserved IPv6" },
        new("http NAT64 [64:ff9b::a9fe:a9fe]", _ => Http("http://[64:ff9b::a9fe:a9fe]/"), Refused, Refused) { Says = Metadata },
        new("http 6to4 [2002:a9fe:a9fe::]", _ => Http("http://[2002:a9fe:a9fe::]/"), Refused, Refused) { Says = Metadata },
        new("http Teredo carrying 169.254.169.254", _ => Http("http://[2001:0:4136:e378:8000:63bf:5601:5601]/"), Refused, Refused) { Says = Metadata },
        new("http Azure WireServer goal state", _ => Http("http://168.63.129.16/machine?comp=goalstate"), Refused, Refused) { Says = "Azure WireServer" },
        new("http Azure health endpoint :32526", _ => Http("http://168.63.129.16:32526/vmSettings"), Refused, Refused) { Says = "Azure WireServer" },
        new("http AWS IMDS IPv6 [fd00:ec2::254]", _ => Http("http://[fd00:ec2::254]/latest/meta-data/"), Refused, Refused) { Says = Metadata },
        new("http ECS credentials 169.254.170.2", _ => Http("http://169.254.170.2/v2/credentials/"), Refused, Refused) { Says = "ECS" },
        new("http Alibaba 100.100.100.200", _ => Http("http://100.100.100.200/latest/meta-data/"), Refused, Refused) { Says = "Alibaba" },
        new("http decimal 2130706434:P (127.0.0.2)", l => Http($"http://2130706434:{l.P}/"), Refused, Dialled) { Says = "loopback" },
        new("http hex short 0x7f.2:P", l => Http($"http://0x7f.2:{l.P}/"), Refused, Dialled) { Says = "loopback" },
        new("http octal 017700000002:P", l => Http($"http://017700000002:{l.P}/"), Refused, Dialled) { Says = "loopback" },
        new("http mapped [::ffff:127.0.0.2]:P", l => Http($"http://[::ffff:127.0.0.2]:{l.P}/"), Refused, Dialled) { Says = "which carries 127.0.0.2" },
        new("http mapped hex [::ffff:7f00:2]:P", l => Http($"http://[::ffff:7f00:2]:{l.P}/"), Refused, Dialled) { Says = "which carries 127.0.0.2" },

        // ── HTTP: names, rebinding, redirects from a real server ─────────────────────────────
        new("http name metadata.google.internal", _ => Http("http://metadata.google.internal/computeMetadata/v1/"), Blocked, Blocked) { Says = Metadata },
        new("http name resolving to the trap", l => Http($"http://trap.lab.test:{l.P}/"), Blocked, Dialled) { Says = "loopback" },
        new("http name: home and metadata", l => Http($"http://mixed.lab.test:{l.P}/"), Blocked, Blocked) { Says = Metadata },
        new("http rebinding: home, then the trap", l => Http($"http://rebind.lab.test:{l.P}/"), Checked, Checked) { Rebinds = "rebind.lab.test" },
        new("http 302 → trap", l => Http(l.RedirectTo($"http://127.0.0.2:{l.P}/")), Blocked, Dialled) { Says = "loopback" },
        new("http 302 → IMDS", l => Http(l.RedirectTo("http://169.254.169.254/latest/meta-data/iam/")), Blocked, Blocked) { Says = Metadata },
        new("http 307 → AWS IMDS IPv6", l => Http(l.RedirectTo("http://[fd00:ec2::254]/latest/", 307)), Blocked, Blocked) { Says = Metadata },
        new("http 302 → name metadata.google.internal", l => Http(l.RedirectTo("http://metadata.google.internal/computeMetadata/v1/")), Blocked, Blocked) { Says = Metadata },
        new("http 302 → decimal 2852039166", l => Http(l.RedirectTo("http://2852039166/latest/")), Blocked, Blocked) { Says = Metadata },
        new("http 302 → mapped ECS", l => Http(l.RedirectTo("http://[::ffff:169.254.170.2]/v2/credentials")), Blocked, Blocked) { Says = "ECS" },
        new("http 302 → Azure health :32526", l => Http(l.RedirectTo("http://168.63.129.16:32526/health")), Blocked, Blocked) { Says = "Azure WireServer" },
        new("http 308 → 0.0.0.0:P", l => Http(l.RedirectTo($"http://0.0.0.0:{l.P}/", 308)), Blocked, Blocked) { Says = "\"this network\"" },

        // ── SEO: the page ────────────────────────────────────────────────────────────────────
        new("seo page IMDS", _ => Seo("http://169.254.169.254/"), Refused, Refused) { Says = Metadata },
        new("seo page AWS IMDS IPv6", _ => Seo("http://[fd00:ec2::254]/"), Refused, Refused) { Says = Metadata },
        new("seo page hex 0xa9fea9fe", _ => Seo("http://0xa9fea9fe/"), Refused, Refused) { Says = Metadata },
        new("seo page name metadata.google.internal", _ => Seo("http://metadata.google.internal/"), Blocked, Blocked) { Says = Metadata },
        new("seo page 302 → IMDS", l => Seo(l.RedirectTo("http://169.254.169.254/")), Blocked, Blocked) { Says = Metadata },
        new("seo page 302 → trap", l => Seo(l.RedirectTo($"http://127.0.0.2:{l.P}/")), Blocked, Dialled) { Says = "loopback" },

        // ── SEO: robots.txt and the sitemap name addresses; they are findings, never fetched ──
        new("seo robots Sitemap: IMDS", l => Seo(l.Seo("sitemap-metadata")), Finding, Finding) { Rule = SeoRules.Sitemap, Says = Metadata },
        new("seo robots Sitemap: Azure WireServer", l => Seo(l.Seo("sitemap-wireserver")), Finding, Finding) { Rule = SeoRules.Sitemap, Says = "Azure WireServer" },
        new("seo robots Sitemap: name metadata.google.internal", l => Seo(l.Seo("sitemap-name")), Finding, Finding) { Rule = SeoRules.Sitemap, Says = Metadata },
        new("seo robots Sitemap: 302 → ECS", l => Seo(l.Seo("sitemap-redirect")), Finding, Finding) { Rule = SeoRules.Sitemap, Says = "ECS" },
        new("seo robots Sitemap: trap", l => Seo(l.Seo("sitemap-trap")), Finding, Dialled) { Rule = SeoRules.Sitemap, Says = "loopback" },
        new("seo sitemap <loc> IMDS", l => Seo(l.Seo("loc-metadata")), Finding, Finding) { Rule = SeoRules.SitemapUrlError, Says = Metadata },
        new("seo sitemap <loc> decimal 2852039166", l => Seo(l.Seo("loc-decimal")), Finding, Finding) { Rule = SeoRules.SitemapUrlError, Says = Metadata },
        new("seo sitemap <loc> mapped", l => Seo(l.Seo("loc-mapped")), Finding, Finding) { Rule = SeoRules.SitemapUrlError, Says = Metadata },
        new("seo sitemap <loc> NAT64", l => Seo(l.Seo("loc-nat64")), Finding, Finding) { Rule = SeoRules.SitemapUrlError, Says = Metadata },
        new("seo sitemap <loc> name resolving to ECS", l => Seo(l.Seo("loc-name")), Finding, Finding) { Rule = SeoRules.SitemapUrlError, Says = "ECS" },
        new("seo sitemap <loc> trap", l => Seo(l.Seo("loc-trap")), Finding, Dialled) { Rule = SeoRules.SitemapUrlError, Says = "loopback" },
        new("seo robots.txt 302 → IMDS", l => Seo(l.Seo("robots-redirect-metadata")), Finding, Finding) { Rule = SeoRules.RobotsTxtUnreachable, Says = Metadata },
        new("seo robots.txt 302 → trap", l => Seo(l.Seo("robots-redirect-trap")), Finding, Dialled) { Rule = SeoRules.RobotsTxtUnreachable, Says = "loopback" },
    ];

    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    private static TcpSettings Tcp(string host, int port, TcpService service = TcpService.PortOpen) =>
        new() { Host = host, Port = port, Service = service, ReadTimeoutSeconds = 2, Send = service == TcpService.Custom ? "GET /latest/meta-data/\\r\\n" : null };

    private static SslSettings Ssl(string host, int port, StartTlsProtocol startTls = StartTlsProtocol.None) =>
        new() { Host = host, Port = port, StartTls = startTls, ReadTimeoutSeconds = 2 };

    private static DnsSettings Dns(string resolver, DnsTransport transport = DnsTransport.Udp) =>
        new() { Name = "example.com", Resolver = resolver, Transport = transport };

    private static HttpSettings Http(string url) => new() { Url = url };

    private static SeoSettings Seo(string url) => new() { Url = url };
}
