namespace Watchtower.Monitoring.Email;

/// <summary>
/// Sends one message now: over SMTP when <c>Watchtower:Email:Host</c> is set, else as an .eml file
/// in the pickup folder. Throws when the message could not be handed over; callers decide on retries.
/// Returns what the server answered ("2.0.0 OK id=…"), or "file &lt;name&gt;" for the pickup folder.
/// </summary>
public interface IEmailSender
{
    Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
