namespace Watchtower.Monitoring.Email;

/// <summary>One message to one recipient (or a comma-separated list), in plain text and HTML (mail clients show the one they prefer).</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody, string HtmlBody)
{
    /// <summary>More header fields (List-Unsubscribe and List-Unsubscribe-Post on messages to subscribers).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}
