using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Watchtower.Monitoring.Email;

/// <summary>Sends through the configured SMTP server with MailKit, one connection per message.</summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var mime = MimeMessages.Create(message, settings);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        var security = settings.Security switch
        {
            EmailSecurity.None => SecureSocketOptions.None,
            EmailSecurity.Implicit => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        var host = settings.Host ?? throw new InvalidOperationException("Watchtower:Email:Host is not set.");
        await client.ConnectAsync(host, settings.EffectivePort, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Username) && !string.IsNullOrEmpty(settings.Password))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password, cancellationToken);
        }

        var reply = await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        logger.LogInformation("Sent email {Subject} via {Host}", message.Subject, settings.Host);
        return reply;
    }
}
