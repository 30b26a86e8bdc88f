namespace Watchtower.Monitoring.Email;

/// <summary>
/// Sends one message now: over SMTP when <c>Watchtower:Email:Host</c> is set, else as an .eml file
/// in the pickup folder. Throws when the message could not be handed over; callers decide on retries.
/// </summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
