using System.Globalization;

namespace Watchtower.Testing.Servers;

/// <summary>
/// Starts the real server software the protocol probes are tested against, each on 127.0.0.1 on a
/// free port, with configuration written to a temporary folder. A missing program skips the test
/// with the Debian package to install (a failure under CI, which installs them all).
/// </summary>
public static class RealServers
{
    public static string NewFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"wt-{name}-{Guid.NewGuid():N}"[..30]);
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        }

        return folder;
    }

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    public static async Task<(ServerProcess Server, int Port)> RedisAsync(string? password = null)
    {
        ServerProcess.RequireBinary("/usr/bin/redis-server", "redis-server");
        var port = ServerProcess.FreePort();
        List<string> args = ["--port", P(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", NewFolder("redis")];
        if (password is not null)
        {
            args.AddRange(["--requirepass", password]);
        }

        return (await ServerProcess.StartAsync("redis-server", "/usr/bin/redis-server", args, port), port);
    }

    public static async Task<(ServerProcess Server, int Port)> SshdAsync()
    {
        ServerProcess.RequireBinary("/usr/sbin/sshd", "openssh-server");
        ServerProcess.RequireRoot("sshd");
        var folder = NewFolder("sshd");
        var key = Path.Combine(folder, "host_ed25519");
        await ServerProcess.RunAsync("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key);
        Directory.CreateDirectory("/run/sshd"); // privilege-separation directory sshd insists on
        var port = ServerProcess.FreePort();
        var server = await ServerProcess.StartAsync("sshd", "/usr/sbin/sshd",
            ["-D", "-e", "-f", "/dev/null", "-p", P(port), "-o", "ListenAddress=127.0.0.1", "-o", $"HostKey={key}", "-o", "PidFile=none"], port);
        return (server, port);
    }

    /// <param name="broken">Starts vsftpd with both local and anonymous logins off: it then greets with "500 OOPS".</param>
    public static async Task<(ServerProcess Server, int Port)> VsftpdAsync(bool broken = false)
    {
        ServerProcess.RequireBinary("/usr/sbin/vsftpd", "vsftpd");
        ServerProcess.RequireRoot("vsftpd");
        var folder = NewFolder("vsftpd");
        Directory.CreateDirectory("/var/run/vsftpd/empty");
        var port = ServerProcess.FreePort();
        var config = Path.Combine(folder, "vsftpd.conf");
        await File.WriteAllTextAsync(config, $"""
            listen=YES
            listen_ipv6=NO
            listen_address=127.0.0.1
            listen_port={port}
            background=NO
            anonymous_enable=NO
            local_enable={(broken ? "NO" : "YES")}
            write_enable=NO
            secure_chroot_dir=/var/run/vsftpd/empty
            pam_service_name=vsftpd
            xferlog_enable=NO

            """);
        return (await ServerProcess.StartAsync("vsftpd", "/usr/sbin/vsftpd", [config], port), port);
    }

    public sealed record DovecotPorts(int Imap, int Imaps, int Pop3, int Pop3s);

    public static async Task<(ServerProcess Server, DovecotPorts Ports)> DovecotAsync(string certFile, string keyFile)
    {
        ServerProcess.RequireBinary("/usr/sbin/dovecot", "dovecot-imapd dovecot-pop3d");
        ServerProcess.RequireRoot("Dovecot");
        var folder = NewFolder("dovecot");
        var ports = new DovecotPorts(ServerProcess.FreePort(), ServerProcess.FreePort(), ServerProcess.FreePort(), ServerProcess.FreePort());
        var config = Path.Combine(folder, "dovecot.conf");
        await File.WriteAllTextAsync(config, $$"""
            base_dir = {{folder}}/run
            state_dir = {{folder}}/state
            log_path = {{folder}}/dovecot.log
            protocols = imap pop3
            listen = 127.0.0.1
            ssl = yes
            ssl_cert = <{{certFile}}
            ssl_key = <{{keyFile}}
            auth_mechanisms = plain
            passdb {
              driver = static
              args = password=never-used-by-probes
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home={{folder}}/home
            }
            service imap-login {
              inet_listener imap {
                port = {{ports.Imap}}
              }
              inet_listener imaps {
                port = {{ports.Imaps}}
                ssl = yes
              }
            }
            service pop3-login {
              inet_listener pop3 {
                port = {{ports.Pop3}}
              }
              inet_listener pop3s {
                port = {{ports.Pop3s}}
                ssl = yes
              }
            }
            service stats {
              unix_listener stats-reader {
                mode = 0666
              }
              unix_listener stats-writer {
                mode = 0666
              }
            }

            """);
        var server = await ServerProcess.StartAsync("dovecot", "/usr/sbin/dovecot", ["-F", "-c", config], ports.Pop3s);
        return (server, ports);
    }

    /// <summary>The two listeners of one Exim: plain SMTP offering STARTTLS, and SMTPS (TLS on connect).</summary>
    public sealed record EximPorts(int Smtp, int Smtps);

    /// <summary>
    /// Exim (Debian's exim4-daemon-light, GnuTLS) in the foreground on 127.0.0.1: one port that offers
    /// STARTTLS and one that speaks TLS from the first byte, both with the given certificate. Spool and
    /// logs live in the instance's own folder, so several instances run side by side.
    /// </summary>
    public static async Task<(ServerProcess Server, EximPorts Ports)> EximAsync(string certFile, string keyFile)
    {
        ServerProcess.RequireBinary("/usr/sbin/exim4", "exim4-daemon-light");
        ServerProcess.RequireRoot("Exim");
        var folder = NewFolder("exim");
        var spool = Path.Combine(folder, "spool");
        var log = Path.Combine(folder, "log");
        Directory.CreateDirectory(spool);
        Directory.CreateDirectory(log);

        // With -C Exim gives up root once its sockets are bound and runs as Debian-exim, which must
        // then write the spool and logs and read the certificate and key (the key file is root-only).
        var cert = Path.Combine(folder, "cert.pem");
        var key = Path.Combine(folder, "key.pem");
        File.Copy(certFile, cert);
        File.Copy(keyFile, key);
        await ServerProcess.RunAsync("/usr/bin/chown", "Debian-exim:Debian-exim", spool, log, cert, key);

        var ports = new EximPorts(ServerProcess.FreePort(), ServerProcess.FreePort());
        var config = Path.Combine(folder, "exim.conf");
        // No routers or transports: the probes never send mail, and every recipient is refused.
        // host_lookup is empty so a connection does not wait on a reverse DNS lookup of 127.0.0.1.
        await File.WriteAllTextAsync(config, $"""
            primary_hostname = localhost
            local_interfaces = <; 127.0.0.1
            daemon_smtp_ports = {ports.Smtp} : {ports.Smtps}
            tls_on_connect_ports = {ports.Smtps}
            tls_advertise_hosts = *
            tls_certificate = {cert}
            tls_privatekey = {key}
            spool_directory = {spool}
            log_file_path = {log}/%slog
            message_logs = false
            keep_environment =
            host_lookup =
            acl_smtp_rcpt = refuse_all

            begin acl

            refuse_all:
              deny message = this test server accepts no mail

            """);

        // -bdf: listening daemon in the foreground, without queue runs (no -q). -oX with ports only
        // also means no pid file and no notifier socket, which parallel instances would share.
        try
        {
            var server = await ServerProcess.StartAsync("exim", "/usr/sbin/exim4",
                ["-bdf", "-oX", $"{ports.Smtp}:{ports.Smtps}", "-C", config], [ports.Smtp, ports.Smtps]);
            return (server, ports);
        }
        catch (InvalidOperationException ex)
        {
            // Exim reports configuration and TLS errors to its log files, not to stderr.
            throw new InvalidOperationException($"{ex.Message} Exim logs: {ReadLogs(log)}", ex);
        }
    }

    private static string ReadLogs(string folder) =>
        string.Join(" | ", Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => $"{Path.GetFileName(f)}: {File.ReadAllText(f)}"));

    /// <summary>
    /// stunnel terminating implicit TLS with the given certificate (and the chain in the same file) in
    /// front of a plain server. <paramref name="serviceOptions"/> are added to the service's section
    /// ("securityLevel = 0" to serve weak certificates OpenSSL refuses by default, "sslVersionMax = TLSv1.2",
    /// "ticketKeySecret = …"); the section is always named [tls], so two instances with the same ticket
    /// secrets resume each other's sessions, as mail servers sharing ticket keys between ports do.
    /// </summary>
    public static async Task<(ServerProcess Server, int Port)> StunnelAsync(int plainPort, string certFile, string keyFile, params string[] serviceOptions)
    {
        ServerProcess.RequireBinary("/usr/bin/stunnel4", "stunnel4");
        var folder = NewFolder("stunnel");
        var port = ServerProcess.FreePort();
        var config = Path.Combine(folder, "stunnel.conf");
        await File.WriteAllTextAsync(config, $"""
            foreground = yes
            pid =
            [tls]
            accept = 127.0.0.1:{port}
            connect = 127.0.0.1:{plainPort}
            cert = {certFile}
            key = {keyFile}
            {string.Join("\n", serviceOptions)}

            """);
        return (await ServerProcess.StartAsync("stunnel", "/usr/bin/stunnel4", [config], port), port);
    }

    public static async Task<(ServerProcess Server, int Port)> MariaDbAsync()
    {
        ServerProcess.RequireBinary("/usr/sbin/mariadbd", "mariadb-server");
        var folder = NewFolder("mariadb");
        var data = Path.Combine(folder, "data");
        // Its own temp folder: with the shared /tmp, two bootstraps at once (parallel test runs)
        // trip over each other's temporary tables ("Could not remove temporary table").
        var temp = Directory.CreateDirectory(Path.Combine(folder, "tmp")).FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await ServerProcess.RunAsync("/usr/bin/chown", "-R", "mysql:mysql", folder);
        }

        string[] user = asRoot ? ["--user=mysql"] : [];
        await ServerProcess.RunAsync("/usr/bin/mariadb-install-db",
            ["--no-defaults", $"--datadir={data}", $"--tmpdir={temp}", "--auth-root-authentication-method=normal", "--skip-test-db", .. user]);
        var port = ServerProcess.FreePort();
        var server = await ServerProcess.StartAsync("mariadbd", "/usr/sbin/mariadbd",
            ["--no-defaults", $"--datadir={data}", $"--tmpdir={temp}", $"--socket={folder}/sock", $"--port={port}", "--bind-address=127.0.0.1",
             $"--pid-file={folder}/pid", "--skip-log-error", .. user], port, TimeSpan.FromSeconds(60));
        return (server, port);
    }

    public static async Task<(ServerProcess Server, int Port)> XrdpAsync()
    {
        ServerProcess.RequireBinary("/usr/sbin/xrdp", "xrdp");
        ServerProcess.RequireRoot("xrdp");
        var folder = NewFolder("xrdp");
        var port = ServerProcess.FreePort();
        // The packaged xrdp.ini, with the listener moved to 127.0.0.1 on our port.
        var ini = (await File.ReadAllLinesAsync("/etc/xrdp/xrdp.ini"))
            .Select(line => line.StartsWith("port=3389", StringComparison.Ordinal) ? $"port=tcp://127.0.0.1:{port}" : line);
        var config = Path.Combine(folder, "xrdp.ini");
        await File.WriteAllLinesAsync(config, ini);
        Directory.CreateDirectory("/run/xrdp");
        return (await ServerProcess.StartAsync("xrdp", "/usr/sbin/xrdp", ["--nodaemon", "--config", config], port), port);
    }
}
