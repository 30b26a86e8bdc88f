namespace Watchtower.Monitoring.Alerts;

public enum SendResult
{
    Sent,

    /// <summary>May work later (5xx, 408, 429, a timeout, SMTP 4xx, the receiver down): retried with backoff.</summary>
    Transient,

    /// <summary>Will not work as it stands (other 4xx, SMTP 5xx, a refused address): not retried.</summary>
    Permanent,
}

/// <summary>How one attempt went: the result, a short code ("HTTP 200", "SMTP 550") and what the receiver said.</summary>
public sealed record SendOutcome(SendResult Result, string Code, string Message)
{
    /// <summary>For a transient failure: the receiver asked to wait at least this long (Telegram's retry_after, say).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static string Cap(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }
}
