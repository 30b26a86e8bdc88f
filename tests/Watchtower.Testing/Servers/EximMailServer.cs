namespace Watchtower.Testing.Servers;

/// <summary>
/// A real Exim (Debian's exim4-daemon-light) on 127.0.0.1 that accepts every message over plain SMTP
/// and delivers it into a maildir, which the test reads as a <see cref="Mailbox"/>. Unlike
/// <see cref="RealServers.EximAsync"/> (a greeting for the probes that refuses all mail), this one
/// is a mail server the app really sends to.
/// </summary>
public static class EximMailServer
{
    public static async Task<(ServerProcess Server, int Port, Mailbox Mailbox)> StartAsync()
    {
        ServerProcess.RequireBinary("/usr/sbin/exim4", "exim4-daemon-light");
        ServerProcess.RequireRoot("Exim");
        var folder = RealServers.NewFolder("exim-mail");
        var spool = Path.Combine(folder, "spool");
        var log = Path.Combine(folder, "log");
        var maildir = Path.Combine(folder, "maildir");
        foreach (var directory in new[] { spool, log, maildir })
        {
            Directory.CreateDirectory(directory);
        }

        // With -C Exim drops root and runs (and delivers) as Debian-exim, which must own these.
        await ServerProcess.RunAsync("/usr/bin/chown", "Debian-exim:Debian-exim", spool, log, maildir);

        var port = ServerProcess.FreePort();
        var config = Path.Combine(folder, "exim.conf");
        // Every recipient accepted and routed to one maildir; no TLS offered, no DNS lookups.
        // Exim delivers each message as soon as it is received (no queue runner needed).
        await File.WriteAllTextAsync(config, $"""
            primary_hostname = localhost
            local_interfaces = <; 127.0.0.1
            daemon_smtp_ports = {port}
            tls_advertise_hosts =
            spool_directory = {spool}
            log_file_path = {log}/%slog
            message_logs = false
            keep_environment =
            host_lookup =
            acl_smtp_rcpt = accept_all

            begin acl

            accept_all:
              accept

            begin routers

            everyone:
              driver = accept
              transport = to_maildir

            begin transports

            to_maildir:
              driver = appendfile
              directory = {maildir}
              maildir_format
              create_directory
              envelope_to_add
              return_path_add
              user = Debian-exim

            """);

        try
        {
            var server = await ServerProcess.StartAsync("exim", "/usr/sbin/exim4", ["-bdf", "-oX", $"{port}", "-C", config], port);
            return (server, port, new Mailbox(maildir));
        }
        catch (InvalidOperationException ex)
        {
            var logs = string.Join(" | ", Directory.GetFiles(log).Select(f => $"{Path.GetFileName(f)}: {File.ReadAllText(f)}"));
            throw new InvalidOperationException($"{ex.Message} Exim logs: {logs}", ex);
        }
    }
}
