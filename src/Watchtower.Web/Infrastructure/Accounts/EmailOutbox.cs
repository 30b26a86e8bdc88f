using System.Threading.Channels;
using Watchtower.Monitoring.Email;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>
/// Account emails leave the request: a page only queues the message, and this service sends it.
/// So a request that mails (a known address) takes as long as one that does not (an unknown one),
/// and a slow mail server never holds a page. A message that fails is tried twice more; the person
/// can always ask again (resend, forgot password), so nothing is kept across restarts.
/// </summary>
public sealed class EmailOutbox(IEmailSender sender, ILogger<EmailOutbox> logger) : BackgroundService
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)];

    private readonly Channel<EmailMessage> queue = Channel.CreateBounded<EmailMessage>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Enqueue(EmailMessage message)
    {
        if (!queue.Writer.TryWrite(message))
        {
            logger.LogError("Email queue is full; dropped {Subject}", message.Subject);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in queue.Reader.ReadAllAsync(stoppingToken))
        {
            await SendWithRetriesAsync(message, stoppingToken);
        }
    }

    private async Task SendWithRetriesAsync(EmailMessage message, CancellationToken stoppingToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await sender.SendAsync(message, stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < RetryDelays.Length)
            {
                logger.LogWarning(ex, "Sending email {Subject} failed; trying again in {Delay}", message.Subject, RetryDelays[attempt]);
                await Task.Delay(RetryDelays[attempt], stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Sending email {Subject} failed {Attempts} times; dropped", message.Subject, attempt + 1);
                return;
            }
        }
    }
}
