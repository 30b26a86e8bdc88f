namespace Watchtower.Probes.Tcp;

/// <summary>What a TCP check speaks once connected. Stored by name; keep names stable.</summary>
public enum TcpService
{
    /// <summary>Connect only.</summary>
    PortOpen = 0,
    Smtp,
    Smtps,
    Imap,
    Imaps,
    Pop3,
    Pop3s,
    Ftp,
    Ssh,
    MySql,
    Postgres,
    Redis,
    Rdp,
    /// <summary>Optional bytes to send and an expectation on the reply.</summary>
    Custom,
}
