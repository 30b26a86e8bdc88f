using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Watchtower.Monitoring.Email;

/// <summary>
/// With no SMTP server configured, writes each message as an .eml file (any mail client opens it),
/// so a single-machine start still works and a developer can read what would have been sent.
/// </summary>
public sealed class PickupDirectoryEmailSender(IOptions<EmailOptions> options, TimeProvider time, ILogger<PickupDirectoryEmailSender> logger) : IEmailSender
{
    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var folder = settings.PickupDirectory ?? throw new InvalidOperationException("Watchtower:Email:PickupDirectory is not resolved.");
        Directory.CreateDirectory(folder);
        var mime = MimeMessages.Create(message, settings);
        mime.Date = time.GetUtcNow();

        // Sortable by time, unique, and never half-written: write to a temporary name, then move.
        var name = $"{time.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}.eml";
        var path = Path.Combine(folder, name);
        var partial = path + ".tmp";
        await mime.WriteToAsync(partial, cancellationToken);
        File.Move(partial, path);
        logger.LogInformation("No SMTP host configured (Watchtower:Email:Host): wrote email {Subject} to {Path}", message.Subject, path);
        return "file " + name;
    }
}
