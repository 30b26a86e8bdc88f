using System.ComponentModel.DataAnnotations;
using Watchtower.Data.Entities;
using Watchtower.Probes;
using Watchtower.Probes.Dns;
using Watchtower.Probes.Http;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;

namespace Watchtower.Web.Checks;

/// <summary>
/// A check as the form (and later the API) sends it: the fields every kind shares, and each kind's
/// settings record as the probe takes it. Only the section of <see cref="Kind"/> is posted and used.
/// </summary>
public sealed class CheckForm
{
    public static readonly int[] IntervalChoices = [20, 30, 60, 120, 300, 600, 900, 1800, 3600];

    [Display(Name = "Name")]
    public string Name { get; set; } = "";

    /// <summary>Chosen on the new-check form and fixed once saved.</summary>
    public ProbeKind Kind { get; set; } = ProbeKind.Tcp;

    public TcpSettings Tcp { get; set; } = new();
    public HttpSettings Http { get; set; } = new();
    public DnsSettings Dns { get; set; } = new();
    public SslSettings Ssl { get; set; } = new();
    public SeoSettings Seo { get; set; } = new();

    [Display(Name = "Check every")]
    public int IntervalSeconds { get; set; } = 60;

    [Display(Name = "Timeout (seconds)")]
    public int TimeoutSeconds { get; set; } = 10;

    [Display(Name = "Down after this many failed runs in a row")]
    public int FailureThreshold { get; set; } = 2;

    [Display(Name = "Up again after this many successful runs")]
    public int RecoveryThreshold { get; set; } = 1;

    [Display(Name = "After a failure, check again after (seconds)")]
    public int? RetryIntervalSeconds { get; set; } = 20;

    [Display(Name = "Degraded when slower than (ms)")]
    public int? LatencyThresholdMs { get; set; }

    [Display(Name = "Show the target on public status pages")]
    public bool ShowTargetOnStatusPage { get; set; }

    /// <summary>The status pages that show this check (when <see cref="PagesChosen"/>).</summary>
    public List<int> PageIds { get; set; } = [];

    /// <summary>True when the form offered the pages, so <see cref="PageIds"/> is the whole choice (an unticked box posts nothing); otherwise placements stay as they are.</summary>
    public bool PagesChosen { get; set; }

    /// <summary>The alert channels of this check (when <see cref="ChannelsChosen"/>).</summary>
    public List<int> ChannelIds { get; set; } = [];

    /// <summary>True when the form offered the channels, so <see cref="ChannelIds"/> is the whole choice; otherwise the check's channels stay as they are.</summary>
    public bool ChannelsChosen { get; set; }

    [Display(Name = "Alert only after down for (minutes)")]
    public int? AlertDelayMinutes { get; set; }

    public ICheckKind KindOf => CheckKinds.Of(Kind);

    /// <summary>The settings of the chosen kind.</summary>
    public IKindSettings Settings
    {
        get => KindOf.From(this);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Kind = value.Kind;
            KindOf.Put(this, value);
        }
    }

    public static CheckForm From(Check check, IEnumerable<int> pageIds, IEnumerable<int>? channelIds = null)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new CheckForm
        {
            Name = check.Name,
            Settings = check.Settings,
            IntervalSeconds = check.IntervalSeconds,
            TimeoutSeconds = check.TimeoutSeconds,
            FailureThreshold = check.FailureThreshold,
            RecoveryThreshold = check.RecoveryThreshold,
            RetryIntervalSeconds = check.RetryIntervalSeconds,
            LatencyThresholdMs = check.LatencyThresholdMs,
            ShowTargetOnStatusPage = check.ShowTargetOnStatusPage,
            PageIds = [.. pageIds],
            PagesChosen = true,
            ChannelIds = [.. channelIds ?? []],
            ChannelsChosen = channelIds is not null,
            AlertDelayMinutes = check.AlertDelayMinutes,
        };
    }

    /// <summary>Writes the (validated) form onto a check. Returns true when the settings changed what or how it checks.</summary>
    public bool ApplyTo(Check check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var settings = Settings;
        var changed = !SameSettings(check.SettingsIfAny, settings);
        check.Name = Name;
        check.Settings = settings;
        check.IntervalSeconds = IntervalSeconds;
        check.TimeoutSeconds = TimeoutSeconds;
        check.FailureThreshold = FailureThreshold;
        check.RecoveryThreshold = RecoveryThreshold;
        check.RetryIntervalSeconds = RetryIntervalSeconds;
        check.LatencyThresholdMs = LatencyThresholdMs;
        check.ShowTargetOnStatusPage = ShowTargetOnStatusPage;
        check.AlertDelayMinutes = AlertDelayMinutes;
        return changed;
    }

    /// <summary>Records hold lists, which compare by reference; compare what they say.</summary>
    private static bool SameSettings(IKindSettings? before, IKindSettings after) =>
        before is not null && before.GetType() == after.GetType()
        && System.Text.Json.JsonSerializer.Serialize(before, before.GetType()) == System.Text.Json.JsonSerializer.Serialize(after, after.GetType());

    public static string IntervalText(int seconds) => seconds switch
    {
        1 => "1 second",
        < 60 => $"{seconds} seconds",
        60 => "1 minute",
        < 3600 when seconds % 60 == 0 => $"{seconds / 60} minutes",
        3600 => "1 hour",
        _ when seconds % 3600 == 0 => $"{seconds / 3600} hours",
        _ => $"{seconds} seconds",
    };
}
