using Watchtower.Probes;
using Watchtower.Probes.Tcp;

namespace Watchtower.Data.Entities;

/// <summary>A configured check: what to probe, how often, and its current state.</summary>
public sealed class Check
{
    public const int NameMaxLength = 100;
    public const int HostMaxLength = 253;
    public const int MessageMaxLength = 500;
    public const int SendMaxLength = 4000;
    public const int ExpectMaxLength = 500;
    public const int LocationMaxLength = 40;
    public const string DefaultLocation = "default";

    public int Id { get; set; }
    public required string OwnerId { get; set; }
    public required string Name { get; set; }
    public ProbeKind Kind { get; set; } = ProbeKind.Tcp;

    /// <summary>Normalized host: ASCII DNS name, IPv4 literal, or IPv6 literal without brackets.</summary>
    public required string Host { get; set; }

    public int Port { get; set; }
    public int IntervalSeconds { get; set; } = 60;
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>What the TCP check speaks once connected.</summary>
    public TcpService Service { get; set; } = TcpService.PortOpen;

    /// <summary>SMTP, IMAP, POP3: upgrade with STARTTLS.</summary>
    public bool StartTls { get; set; }

    /// <summary>Custom: what to send (text with escapes, or hex).</summary>
    public string? Send { get; set; }

    public PayloadFormat SendFormat { get; set; }

    /// <summary>Custom: what the reply must contain or match.</summary>
    public string? Expect { get; set; }

    public ExpectMode ExpectMode { get; set; }

    /// <summary>How long to wait for each answer once connected.</summary>
    public int ReadTimeoutSeconds { get; set; } = 5;

    /// <summary>Slower answers than this make the check degraded; null for no threshold.</summary>
    public int? LatencyThresholdMs { get; set; }

    /// <summary>A certificate expiring within this many days makes the check degraded.</summary>
    public int CertificateWarningDays { get; set; } = 14;

    /// <summary>After a failed run the next comes this soon, to confirm or clear it quickly; null uses the interval.</summary>
    public int? RetryIntervalSeconds { get; set; }

    /// <summary>Settings of the HTTP, DNS and SSL kinds (<see cref="KindSettings"/> as JSON).</summary>
    public string? SettingsJson { get; set; }

    /// <summary>The last result in words safe for the public page (no host names or addresses).</summary>
    public string? LastPublicMessage { get; set; }

    /// <summary>False while paused.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Owner opt-in: show host and port on public status pages.</summary>
    public bool ShowTargetOnStatusPage { get; set; }

    /// <summary>The probe location (a Hangfire queue) that runs this check.</summary>
    public string Location { get; set; } = DefaultLocation;

    /// <summary>Consecutive failed runs before the check goes down.</summary>
    public int FailureThreshold { get; set; } = 2;

    /// <summary>Consecutive successful runs before a down check goes back up.</summary>
    public int RecoveryThreshold { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the dispatcher should next run it. Moved forward when claimed.</summary>
    public DateTimeOffset NextRunAt { get; set; }

    public CheckState State { get; set; } = CheckState.Pending;
    public DateTimeOffset? StateChangedAt { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public int? LastLatencyMs { get; set; }
    public FailureReason LastReason { get; set; }
    public string? LastMessage { get; set; }
    public int ConsecutiveFailures { get; set; }
    public int ConsecutiveSuccesses { get; set; }

    public List<StatusPageCheck> StatusPages { get; set; } = [];
}
