using Watchtower.Probes;
using Watchtower.Probes.Dns;
using Watchtower.Probes.Http;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;

namespace Watchtower.Data.Entities;

/// <summary>
/// A configured check: its kind's settings (one typed record, stored as JSON), how often and how
/// patiently to run it, and its current state. The state is changed only through the state machine.
/// </summary>
public sealed class Check
{
    public const int NameMaxLength = 100;
    public const int MessageMaxLength = 500;
    public const int LocationMaxLength = 40;
    public const string DefaultLocation = "default";

    public int Id { get; set; }
    /// <summary>The team that owns it.</summary>
    public int TeamId { get; set; }
    public required string Name { get; set; }

    /// <summary>Which of the settings records below is set. Fixed once saved.</summary>
    public ProbeKind Kind { get; private set; } = ProbeKind.Tcp;

    // One of these is set, the one of Kind; each is its own JSON column.
    public TcpSettings? Tcp { get; private set; }
    public HttpSettings? Http { get; private set; }
    public DnsSettings? Dns { get; private set; }
    public SslSettings? Ssl { get; private set; }
    public SeoSettings? Seo { get; private set; }

    /// <summary>The settings of the check's kind. Setting them sets <see cref="Kind"/> and clears the other kinds'.</summary>
    public IKindSettings Settings
    {
        get => SettingsIfAny ?? throw new InvalidOperationException($"Check {Id} has no settings.");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Kind = value.Kind;
            Tcp = value as TcpSettings;
            Http = value as HttpSettings;
            Dns = value as DnsSettings;
            Ssl = value as SslSettings;
            Seo = value as SeoSettings;
        }
    }

    /// <summary>The settings, or null on a check not yet given any.</summary>
    public IKindSettings? SettingsIfAny => (IKindSettings?)Tcp ?? (IKindSettings?)Http ?? (IKindSettings?)Dns ?? (IKindSettings?)Ssl ?? Seo;

    public int IntervalSeconds { get; set; } = 60;

    /// <summary>The whole run's budget: connect (shared among the host's addresses), conversation, reading.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Slower answers than this make the check degraded (what "slower" measures depends on the kind); null for no threshold.</summary>
    public int? LatencyThresholdMs { get; set; }

    /// <summary>After a failed run the next comes this soon, to confirm or clear it quickly; null uses the interval.</summary>
    public int? RetryIntervalSeconds { get; set; }

    /// <summary>The last result in words safe for the public page (no host names or addresses).</summary>
    public string? LastPublicMessage { get; set; }

    /// <summary>False while paused.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Owner opt-in: show the target on public status pages.</summary>
    public bool ShowTargetOnStatusPage { get; set; }

    /// <summary>The probe location (a Hangfire queue) that runs this check.</summary>
    public string Location { get; set; } = DefaultLocation;

    /// <summary>Consecutive failed runs before the check goes down.</summary>
    public int FailureThreshold { get; set; } = 2;

    /// <summary>Consecutive successful runs before a down check goes back up.</summary>
    public int RecoveryThreshold { get; set; } = 1;

    /// <summary>Alert only when the check has been down this long (minutes); null alerts at once.</summary>
    public int? AlertDelayMinutes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// When the dispatcher should next run it. While a run is leased (<see cref="LeaseId"/> set) it is
    /// the lease's expiry instead: a lease that ends without a result makes the check due again at once,
    /// with no second column or index for the claim query to look at.
    /// </summary>
    public DateTimeOffset NextRunAt { get; set; }

    /// <summary>
    /// The lease of the run in progress: set when a dispatcher claims the check, cleared when its
    /// result is written (or the owner pauses, resumes or edits it). Only the holder of an unexpired
    /// lease writes a result, so a stale or repeated job writes nothing.
    /// </summary>
    public Guid? LeaseId { get; set; }

    public CheckState State { get; set; } = CheckState.Pending;
    public DateTimeOffset? StateChangedAt { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public int? LastLatencyMs { get; set; }
    public FailureReason LastReason { get; set; }
    public string? LastMessage { get; set; }

    /// <summary>
    /// The full facts of the latest run (JSON, see ResultFacts): timings, address, what the service
    /// said, certificate, the kind's own facts. Raw results keep only the verdict.
    /// </summary>
    public string? LastFacts { get; set; }
    public int ConsecutiveFailures { get; set; }
    public int ConsecutiveSuccesses { get; set; }

    /// <summary>
    /// Optimistic concurrency token: PostgreSQL's xmin, a counter on SQLite. Whoever saves a check
    /// with a stale version loses: a probe batch drops its result, an owner's edit is re-applied.
    /// </summary>
    public uint Version { get; set; }

    public List<StatusPageCheck> StatusPages { get; set; } = [];

    /// <summary>What the engine hands to the probe: the settings and the run's budget.</summary>
    public ProbeRequest ToProbeRequest() => new(Settings, TimeSpan.FromSeconds(TimeoutSeconds));
}
