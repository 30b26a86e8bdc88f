using System.Collections.Frozen;

namespace Watchtower.Probes.Tcp;

/// <summary>One row of the service presets: its name, usual port, and whether TLS comes first.</summary>
public sealed record TcpServicePreset(TcpService Service, string Label, int DefaultPort, bool ImplicitTls, bool CanStartTls, string Proves);

/// <summary>The presets the form offers, and the service suggested for a port.</summary>
public static class TcpServices
{
    public static readonly IReadOnlyList<TcpServicePreset> Presets =
    [
        new(TcpService.PortOpen, "Port open (connect only)", 0, false, false, "the port accepts TCP connections"),
        new(TcpService.Smtp, "SMTP (mail submission/relay)", 25, false, true, "the mail server greets with 220 and answers EHLO with 250"),
        new(TcpService.Smtps, "SMTPS (implicit TLS)", 465, true, false, "TLS is up and the mail server greets with 220 and answers EHLO"),
        new(TcpService.Imap, "IMAP", 143, false, true, "the IMAP server greets with * OK"),
        new(TcpService.Imaps, "IMAPS (implicit TLS)", 993, true, false, "TLS is up and the IMAP server greets with * OK"),
        new(TcpService.Pop3, "POP3", 110, false, true, "the POP3 server greets with +OK"),
        new(TcpService.Pop3s, "POP3S (implicit TLS)", 995, true, false, "TLS is up and the POP3 server greets with +OK"),
        new(TcpService.Ftp, "FTP", 21, false, false, "the FTP server greets with 220"),
        new(TcpService.Ssh, "SSH / SFTP", 22, false, false, "the SSH server sends its SSH-2.0 identification"),
        new(TcpService.MySql, "MySQL / MariaDB", 3306, false, false, "the database sends its protocol-10 greeting"),
        new(TcpService.Postgres, "PostgreSQL", 5432, false, false, "the database answers an SSLRequest with S or N"),
        new(TcpService.Redis, "Redis", 6379, false, false, "Redis answers PING (+PONG, or an auth or protected-mode refusal from a live server)"),
        new(TcpService.Rdp, "RDP (Remote Desktop)", 3389, false, false, "the server confirms an X.224 connection request"),
        new(TcpService.Custom, "Custom (send and expect)", 0, false, false, "the service's reply matches your expectation"),
    ];

    private static readonly FrozenDictionary<TcpService, TcpServicePreset> ByService = Presets.ToFrozenDictionary(p => p.Service);

    private static readonly FrozenDictionary<int, TcpService> ByPort = new Dictionary<int, TcpService>
    {
        [25] = TcpService.Smtp, [587] = TcpService.Smtp, [2525] = TcpService.Smtp, [465] = TcpService.Smtps,
        [143] = TcpService.Imap, [993] = TcpService.Imaps, [110] = TcpService.Pop3, [995] = TcpService.Pop3s,
        [21] = TcpService.Ftp, [22] = TcpService.Ssh, [3306] = TcpService.MySql, [5432] = TcpService.Postgres,
        [6379] = TcpService.Redis, [3389] = TcpService.Rdp,
    }.ToFrozenDictionary();

    public static TcpServicePreset Of(TcpService service) => ByService[service];

    /// <summary>True when a check with these settings speaks TLS: an implicit-TLS service, a STARTTLS upgrade, or custom TLS.</summary>
    public static bool UsesTls(TcpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!ByService.TryGetValue(settings.Service, out var preset))
        {
            return false;
        }

        return preset.ImplicitTls || (preset.CanStartTls && settings.StartTls) || (settings.Service == TcpService.Custom && settings.ImplicitTls);
    }

    /// <summary>The service usually found on a port; PortOpen when there is no usual one.</summary>
    public static TcpService SuggestFor(int port) => ByPort.TryGetValue(port, out var service) ? service : TcpService.PortOpen;

    /// <summary>The short name used in sentences: "SMTP", "PostgreSQL".</summary>
    public static string ShortName(TcpService service) => service switch
    {
        TcpService.Smtp or TcpService.Smtps => "SMTP",
        TcpService.Imap or TcpService.Imaps => "IMAP",
        TcpService.Pop3 or TcpService.Pop3s => "POP3",
        TcpService.Ftp => "FTP",
        TcpService.Ssh => "SSH",
        TcpService.MySql => "MySQL",
        TcpService.Postgres => "PostgreSQL",
        TcpService.Redis => "Redis",
        TcpService.Rdp => "RDP",
        TcpService.Custom => "The service",
        _ => "The port",
    };
}
