using System.ComponentModel.DataAnnotations;

namespace Watchtower.Monitoring.Alerts;

/// <summary>Bound from <c>Watchtower:Alerts</c> and validated when the host starts.</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Watchtower:Alerts";

    /// <summary>Flapping control: at most one down/up pair per check in this window, then one summary.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = SectionName + ":FlapWindow must be from 0 to 1 day (hh:mm:ss); 0 turns flapping control off.")]
    public TimeSpan FlapWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A down check is told again after this long, and again each time it passes; 0 sends no reminders.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = SectionName + ":ReminderInterval must be from 0 to 7 days (hh:mm:ss); 0 sends no reminders.")]
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The first retry after a passing failure; each next one waits twice as long (capped at an hour).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = SectionName + ":RetryBaseDelay must be from 100 ms to 1 hour (hh:mm:ss).")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of one delivery before it is given up.</summary>
    [Range(1, 50, ErrorMessage = SectionName + ":MaxAttempts must be from {1} to {2}.")]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Deliveries refused for good in a row before the channel is marked failing.</summary>
    [Range(1, 1000, ErrorMessage = SectionName + ":FailingAfter must be from {1} to {2}.")]
    public int FailingAfter { get; set; } = 5;

    /// <summary>How often the dispatcher looks for due deliveries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00", ErrorMessage = SectionName + ":DispatchInterval must be from 50 ms to 10 minutes (hh:mm:ss).")]
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deliveries per Hangfire job (one lease).</summary>
    [Range(1, 1000, ErrorMessage = SectionName + ":BatchSize must be from {1} to {2}.")]
    public int BatchSize { get; set; } = 50;

    /// <summary>One attempt (connect, send, answer) must finish within this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = SectionName + ":SendTimeout must be from 1 second to 2 minutes (hh:mm:ss).")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A claimed batch must be finished within this, or its deliveries are due again. Longer than a
    /// batch's sends take (they run in parallel, each within <see cref="SendTimeout"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = SectionName + ":LeaseDuration must be from 10 seconds to 1 hour (hh:mm:ss).")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Where Telegram's Bot API answers (a local Bot API server, or a test's); messages go to <c>{base}/bot{token}/sendMessage</c>.</summary>
    [Url(ErrorMessage = SectionName + ":TelegramApiBase must be an http(s) URL, e.g. https://api.telegram.org.")]
    public string TelegramApiBase { get; set; } = "https://api.telegram.org";

    /// <summary>Where PagerDuty's Events API v2 answers; events go to <c>{base}/v2/enqueue</c> (EU accounts may use https://events.eu.pagerduty.com).</summary>
    [Url(ErrorMessage = SectionName + ":PagerDutyApiBase must be an http(s) URL, e.g. https://events.pagerduty.com.")]
    public string PagerDutyApiBase { get; set; } = "https://events.pagerduty.com";

    /// <summary>The base of links to the app in messages ("https://status.example.com"); else <c>Watchtower:PublicBaseUrl</c>.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The delay before the <paramref name="attempt"/>th retry (1-based): base × 2^(attempt−1), at most an hour.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        var delay = TimeSpan.FromMilliseconds(RetryBaseDelay.TotalMilliseconds * factor);
        return delay > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : delay;
    }
}
