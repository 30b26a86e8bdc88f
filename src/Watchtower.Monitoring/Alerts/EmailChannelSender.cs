using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Email;

namespace Watchtower.Monitoring.Alerts;

/// <summary>
/// Email through the installation's sender (SMTP with MailKit, or .eml files when no host is set):
/// one message to the channel's addresses, plain text and HTML, each with a link to the check.
/// SMTP 4xx and a server that cannot be reached are retried; SMTP 5xx is not.
/// </summary>
public sealed class EmailChannelSender(IEmailSender sender) : IChannelSender
{
    public ChannelKind Kind => ChannelKind.Email;

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, AlertDelivery delivery, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(message);
        var to = string.Join(", ", AddressesOf(channel.Addresses));
        if (to.Length == 0)
        {
            return new SendOutcome(SendResult.Permanent, "no address", "The channel has no email address.");
        }

        try
        {
            var reply = await sender.SendAsync(Compose(to, message), cancellationToken);
            return new SendOutcome(SendResult.Sent, reply.StartsWith("file", StringComparison.Ordinal) ? "file" : "SMTP 250", SendOutcome.Cap(reply, AlertDelivery.ResultMaxLength));
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            return new SendOutcome(code >= 500 ? SendResult.Permanent : SendResult.Transient,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SMTP {code}"), SendOutcome.Cap(ex.Message, AlertDelivery.ResultMaxLength));
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or TimeoutException or ServiceNotConnectedException or ServiceNotAuthenticatedException or MailKit.Security.AuthenticationException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new SendOutcome(SendResult.Transient, "SMTP unreachable", SendOutcome.Cap(ex.Message, AlertDelivery.ResultMaxLength));
        }
        catch (MimeKit.ParseException ex)
        {
            return new SendOutcome(SendResult.Permanent, "bad address", SendOutcome.Cap(ex.Message, AlertDelivery.ResultMaxLength));
        }
    }

    public static IEnumerable<string> AddressesOf(string? addresses) =>
        (addresses ?? "").Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static EmailMessage Compose(string to, AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var alert = message.Event;
        var at = alert.At.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var link = message.CheckUrl;
        var text = $"{message.Title}\n\n{message.Text}\n\nWhen: {at}\n" + (alert.State is { } state ? $"State: {state}\n" : "")
                   + (link is null ? "" : $"\nOpen the check: {link}\n") + "\n— Watchtower";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(message.Title)}</title></head>
            <body style="font-family:system-ui,sans-serif;color:#1a1a1a;line-height:1.5">
            <main>
            <h1 style="font-size:1.25rem">{WebUtility.HtmlEncode(message.Title)}</h1>
            <p>{WebUtility.HtmlEncode(message.Text)}</p>
            <p style="color:#555">When: {WebUtility.HtmlEncode(at)}{(alert.State is { } s ? $"<br>State: {WebUtility.HtmlEncode(s.ToString())}" : "")}</p>
            {(link is null ? "" : $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">Open the check</a></p>")}
            <p style="color:#555;font-size:.875rem">— Watchtower</p>
            </main>
            </body></html>
            """;
        return new EmailMessage(to, $"[Watchtower] {message.Title}", text, html);
    }
}
