using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Email;
using Watchtower.Monitoring.Subscribers;
using Watchtower.Web.Branding;
using Watchtower.Web.Checks;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Subscribers;

public enum ConfirmOutcome
{
    Confirmed,

    /// <summary>No such link, used already, or expired: one answer for all (a link reveals nothing about others).</summary>
    Invalid,
}

/// <summary>
/// Readers subscribing to a status page by email: double opt-in (a single-use link, 48 hours, stored
/// hashed), never telling whether an address is subscribed already (the same answer and no second
/// email for a confirmed one), at most a few confirmations per address an hour (and per client
/// address, by the "subscribe" rate-limit policy on the form), and one-click unsubscribe.
/// </summary>
public sealed class SubscriptionService(
    WatchtowerDbContext db,
    IEmailSender email,
    SubscriberTokens tokens,
    PublicAddress address,
    SubscriptionLimiter limiter,
    TimeProvider time,
    ILogger<SubscriptionService> logger)
{
    public sealed record PageOfSubscription(int Id, int TeamId, string Name, string Slug);

    /// <summary>The services a reader may choose (the page's shown checks, in its order).</summary>
    public async Task<IReadOnlyList<(int CheckId, string Name)>> ComponentsAsync(int pageId, CancellationToken cancellationToken)
    {
        var rows = await db.StatusPageChecks.AsNoTracking().Where(pc => pc.StatusPageId == pageId).OrderBy(pc => pc.SortOrder)
            .Select(pc => new { pc.CheckId, pc.Check!.Name }).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => (r.CheckId, r.Name));
    }

    /// <summary>Validates the address and the chosen services; a valid request sends (at most) one confirmation in the background.</summary>
    public async Task<FieldErrors> SubscribeAsync(HttpRequest request, PageOfSubscription page, string? emailAddress, bool allComponents, IReadOnlyCollection<int>? checkIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var errors = new FieldErrors();
        var normalized = Normalize(emailAddress);
        if (normalized is null)
        {
            errors.Add("Email", "Enter an email address, like name@example.com.");
        }

        var shown = (await ComponentsAsync(page.Id, cancellationToken)).Select(c => c.CheckId).ToHashSet();
        var chosen = (checkIds ?? []).Distinct().ToList();
        if (!allComponents && chosen.Count == 0)
        {
            errors.Add("CheckIds", "Choose at least one service, or all of them.");
        }
        else if (!allComponents && chosen.Any(id => !shown.Contains(id)))
        {
            errors.Add("CheckIds", "Choose services shown on this page.");
        }

        if (!errors.IsEmpty)
        {
            return errors;
        }

        // Per address: a few confirmations an hour. Past that the answer is the same, and nothing is sent.
        using var lease = limiter.Acquire($"{page.Id}|{normalized}");
        if (!lease.IsAcquired)
        {
            logger.LogInformation("Subscription to page {PageId}: too many requests for one address this hour; nothing sent", page.Id);
            return errors;
        }

        var now = time.GetUtcNow();
        var subscriber = await db.Subscribers.Include(s => s.Components)
            .FirstOrDefaultAsync(s => s.StatusPageId == page.Id && s.Email == normalized, cancellationToken);
        if (subscriber?.State == SubscriberState.Confirmed)
        {
            return errors; // subscribed already: the same answer, and no email to tell anyone so
        }

        if (subscriber is null)
        {
            subscriber = new Subscriber { TeamId = page.TeamId, StatusPageId = page.Id, Kind = SubscriberKind.Email, Email = normalized, CreatedAt = now };
            db.Subscribers.Add(subscriber);
        }

        subscriber.AllComponents = allComponents;
        subscriber.Components.RemoveAll(c => allComponents || !chosen.Contains(c.CheckId));
        if (!allComponents)
        {
            subscriber.Components.AddRange(chosen.Where(id => subscriber.Components.All(c => c.CheckId != id)).Select(id => new SubscriberComponent { CheckId = id }));
        }

        var token = SubscriberTokens.NewConfirmToken();
        subscriber.ConfirmTokenHash = SubscriberTokens.Hash(token);
        subscriber.ConfirmExpiresAt = now + Subscriber.ConfirmationLifetime;
        subscriber.ConfirmSentAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return errors; // the same address at the same moment: the other request sends the link
        }

        var link = address.Absolute(request, $"{request.PathBase}/status/{page.Slug}/confirm?token={token}");
        var message = ConfirmationEmail(normalized!, page.Name, link);
        // Sent in the background: the answer takes as long whether or not an email goes out.
        _ = Task.Run(async () =>
        {
            try
            {
                await email.SendAsync(message, CancellationToken.None);
            }
#pragma warning disable CA1031 // A failed send is logged; the reader may ask again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Subscription confirmation for page {PageId} could not be sent", page.Id);
            }
        }, CancellationToken.None);
        return errors;
    }

    public static EmailMessage ConfirmationEmail(string to, string pageName, string link)
    {
        var hours = (int)Subscriber.ConfirmationLifetime.TotalHours;
        var text = $"Someone (we hope you) asked to get updates of {pageName} at this address.\n\nConfirm: {link}\n\n"
                   + $"The link works once, for {hours} hours. If you did not ask, ignore this email: nothing is sent without confirmation.\n";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Confirm your subscription</title></head>
            <body style="font-family:system-ui,sans-serif;color:#1a1a1a;line-height:1.5">
            <p>Someone (we hope you) asked to get updates of {WebUtility.HtmlEncode(pageName)} at this address.</p>
            <p><a href="{WebUtility.HtmlEncode(link)}">Confirm the subscription</a></p>
            <p style="color:#555">The link works once, for {hours} hours. If you did not ask, ignore this email: nothing is sent without confirmation.</p>
            </body></html>
            """;
        return new EmailMessage(to, $"Confirm your subscription to {pageName}", text, html);
    }

    /// <summary>Confirms the subscription the token names (once, before it expires).</summary>
    public async Task<ConfirmOutcome> ConfirmAsync(int pageId, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return ConfirmOutcome.Invalid;
        }

        var hash = SubscriberTokens.Hash(token);
        var now = time.GetUtcNow();
        var confirmed = await db.Subscribers
            .Where(s => s.StatusPageId == pageId && s.ConfirmTokenHash == hash && s.State == SubscriberState.Pending && s.ConfirmExpiresAt > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.State, SubscriberState.Confirmed)
                .SetProperty(x => x.ConfirmedAt, now)
                .SetProperty(x => x.ConfirmTokenHash, (string?)null)
                .SetProperty(x => x.ConfirmExpiresAt, (DateTimeOffset?)null), cancellationToken);
        return confirmed == 1 ? ConfirmOutcome.Confirmed : ConfirmOutcome.Invalid;
    }

    /// <summary>Ends the subscription the token names; true when there was one (the page answers the same either way).</summary>
    public async Task<bool> UnsubscribeAsync(int pageId, string? token, CancellationToken cancellationToken)
    {
        if (tokens.SubscriberOf(token) is not { } id)
        {
            return false;
        }

        return await db.Subscribers.Where(s => s.Id == id && s.StatusPageId == pageId).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>The page a public subscriber link is on; null when there is none.</summary>
    public async Task<PageOfSubscription?> PageAsync(string? slug, CancellationToken cancellationToken)
    {
        var normalized = (slug ?? "").ToLowerInvariant();
        return await db.StatusPages.AsNoTracking().Where(p => p.Slug == normalized)
            .Select(p => new PageOfSubscription(p.Id, p.TeamId, p.Name, p.Slug)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The address as stored: trimmed and lower-cased; null when it is not one address.</summary>
    public static string? Normalize(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > Subscriber.EmailMaxLength || trimmed.Contains(',', StringComparison.Ordinal)
            || !MailboxAddress.TryParse(trimmed, out var mailbox) || mailbox.Address != trimmed || !trimmed.Contains('@', StringComparison.Ordinal)
            || trimmed.StartsWith('@') || trimmed.EndsWith('@'))
        {
            return null;
        }

        return trimmed.ToLowerInvariant();
    }
}

/// <summary>The per-address limit of subscription requests (a System.Threading.RateLimiting partitioned limiter, in memory per host).</summary>
public sealed class SubscriptionLimiter(IOptions<StatusPageOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.SubscriptionsPerAddressPerHour),
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        }));

    public RateLimitLease Acquire(string key) => limiter.AttemptAcquire(key);

    public void Dispose() => limiter.Dispose();
}
