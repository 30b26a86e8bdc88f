using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Alerts;

/// <summary>
/// The Hangfire job of one leased batch: sends each delivery through its channel (several at once)
/// and records each outcome as soon as it is known, only while the lease still holds — so a job run
/// twice, or one whose lease ran out and was claimed again, records (and sends) nothing twice.
/// Arguments are ids only; the type name is stored by Hangfire, so keep it.
/// </summary>
public sealed class AlertDeliveryJob(
    WatchtowerDbContext db,
    IEnumerable<IChannelSender> senders,
    Subscribers.SubscriberNotifier subscribers,
    IOptions<AlertOptions> options,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<AlertDeliveryJob> logger)
{
    private const int Parallel = 8;

    /// <summary>The result code of a delivery being sent now (taken by a job, outcome not yet written).</summary>
    public const string SendingCode = "sending";

    /// <summary>What the log says of an attempt whose outcome was never written.</summary>
    public const string InterruptedMessage = "An attempt was interrupted before its outcome was written (its Worker stopped mid-send); sending again.";

    /// <summary>Sends the batch; returns how many were sent.</summary>
    public async Task<int> RunAsync(Guid lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Take the batch under a lease of this run's own: a second run of the same job (Hangfire
        // retries a job whose worker vanished) finds the rows taken and sends nothing.
        var claimed = lease;
        lease = Guid.NewGuid();
        // Each taken row is marked as being sent. A row still marked so was taken by a run that never
        // recorded its outcome (its Worker was killed mid-send, and the lease ran out): that attempt
        // is counted, and the log says so until this one's outcome replaces it.
        var taken = await db.AlertDeliveries
            .Where(d => d.LeaseId == claimed && d.Status == DeliveryStatus.Pending && d.NextAttemptAt > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.LeaseId, lease)
                .SetProperty(d => d.Attempts, d => d.ResultCode == SendingCode ? d.Attempts + 1 : d.Attempts)
                .SetProperty(d => d.ResultMessage, d => d.ResultCode == SendingCode ? InterruptedMessage : d.ResultMessage)
                .SetProperty(d => d.ResultCode, SendingCode), cancellationToken);
        if (taken == 0)
        {
            return 0;
        }

        var batch = await db.AlertDeliveries.AsNoTracking()
            .Include(d => d.Event)
            .Include(d => d.Channel)
            .Include(d => d.Subscriber).ThenInclude(s => s!.StatusPage)
            .Where(d => d.LeaseId == lease && d.Status == DeliveryStatus.Pending && d.NextAttemptAt > now)
            .ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        var byKind = senders.ToDictionary(s => s.Kind);
        var baseUrl = options.Value.PublicBaseUrl ?? configuration["Watchtower:PublicBaseUrl"];
        var sent = 0;
        using var gate = new SemaphoreSlim(Parallel);
        var record = new SemaphoreSlim(1); // one DbContext: outcomes are written one at a time
        await Task.WhenAll(batch.Select(async delivery =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                SendOutcome outcome;
                if (delivery.SubscriberId is not null)
                {
                    outcome = await subscribers.SendAsync(delivery, baseUrl, cancellationToken);
                }
                else
                {
                    var channel = delivery.Channel!;
                    var message = AlertMessage.For(delivery.Event!, baseUrl);
                    outcome = byKind.TryGetValue(channel.Kind, out var sender)
                        ? await sender.SendAsync(channel, delivery, message, cancellationToken)
                        : new SendOutcome(SendResult.Permanent, "unsupported", $"No sender for {channel.Kind} channels.");
                }

                await record.WaitAsync(cancellationToken);
                try
                {
                    if (await RecordAsync(delivery, lease, outcome, cancellationToken))
                    {
                        Interlocked.Increment(ref sent);
                    }
                }
                finally
                {
                    record.Release();
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        record.Dispose();
        return sent;
    }

    /// <summary>Writes the outcome if the lease still holds; true when it was a send.</summary>
    private async Task<bool> RecordAsync(AlertDelivery delivery, Guid lease, SendOutcome outcome, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var attempts = delivery.Attempts + 1;
        var status = outcome.Result switch
        {
            SendResult.Sent => DeliveryStatus.Sent,
            SendResult.Transient when attempts < settings.MaxAttempts => DeliveryStatus.Pending,
            _ => DeliveryStatus.Failed,
        };
        DateTimeOffset? sentAt = status == DeliveryStatus.Sent ? now : null;
        var wait = settings.Backoff(attempts);
        if (outcome.RetryAfter is { } asked && asked > wait)
        {
            wait = asked > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : asked; // the receiver's own wait, at most an hour
        }

        var next = status == DeliveryStatus.Pending ? now + wait : now;
        var code = SendOutcome.Cap(outcome.Code, 32);
        var said = SendOutcome.Cap(outcome.Message, AlertDelivery.ResultMaxLength);
        var id = delivery.Id;
        var written = await db.AlertDeliveries
            .Where(d => d.Id == id && d.LeaseId == lease && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, status)
                .SetProperty(d => d.LeaseId, (Guid?)null)
                .SetProperty(d => d.Attempts, attempts)
                .SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.LastAttemptAt, now)
                .SetProperty(d => d.SentAt, sentAt)
                .SetProperty(d => d.ResultCode, code)
                .SetProperty(d => d.ResultMessage, said), cancellationToken);
        if (written == 0)
        {
            logger.LogWarning("Delivery {DeliveryId}: its lease ran out before the outcome ({Code}) was written", id, code);
            return false;
        }

        if (delivery.ChannelId is not { } channelId)
        {
            if (status == DeliveryStatus.Failed)
            {
                logger.LogWarning("Notice to subscriber {SubscriberId} failed for good ({Code}): {Message}", delivery.SubscriberId, code, said);
            }

            return status == DeliveryStatus.Sent;
        }

        if (status == DeliveryStatus.Sent)
        {
            await db.NotificationChannels.Where(c => c.Id == channelId && (c.ConsecutiveFailures > 0 || c.FailingSince != null))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsecutiveFailures, 0).SetProperty(c => c.FailingSince, (DateTimeOffset?)null).SetProperty(c => c.LastError, (string?)null), cancellationToken);
        }
        else if (status == DeliveryStatus.Failed)
        {
            var error = SendOutcome.Cap($"{code}: {said}", NotificationChannel.ErrorMaxLength);
            var limit = settings.FailingAfter;
            await db.NotificationChannels.Where(c => c.Id == channelId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsecutiveFailures, c => c.ConsecutiveFailures + 1).SetProperty(c => c.LastError, error), cancellationToken);
            await db.NotificationChannels.Where(c => c.Id == channelId && c.ConsecutiveFailures >= limit && c.FailingSince == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailingSince, now), cancellationToken);
            logger.LogWarning("Alert to channel {ChannelId} failed for good ({Code}): {Message}", channelId, code, said);
        }
        else
        {
            logger.LogInformation("Alert to channel {ChannelId} failed ({Code}); attempt {Attempt} of {Max}, next at {Next:O}", channelId, code, attempts, settings.MaxAttempts, next);
        }

        return status == DeliveryStatus.Sent;
    }
}
