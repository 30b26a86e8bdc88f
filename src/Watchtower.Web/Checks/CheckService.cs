using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Monitoring.State;
using Watchtower.Probes;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Evaluation;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Infrastructure.Accounts;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Checks;

public enum CheckOutcomeStatus
{
    Done,
    NotFound,
    Invalid,
}

/// <summary>What a change to a check came to: done (with the check), not found (not this account's), or invalid (with field messages).</summary>
public sealed record CheckOutcome(CheckOutcomeStatus Status, Check? Check, FieldErrors Errors)
{
    public static CheckOutcome NotFound { get; } = new(CheckOutcomeStatus.NotFound, null, new FieldErrors());

    public static CheckOutcome Invalid(FieldErrors errors) => new(CheckOutcomeStatus.Invalid, null, errors);

    public static CheckOutcome Done(Check check) => new(CheckOutcomeStatus.Done, check, new FieldErrors());
}

/// <summary>"Test now": field messages, or a refusal (too many tests), or what the run measured and its verdict.</summary>
public sealed record TestOutcome(FieldErrors Errors, bool Refused, ProbeResult? Result, Verdict? Verdict);

/// <summary>
/// The one way anything changes a check: create, update, pause, resume, delete, show on a page,
/// test now. Validates through the kinds' validators, scopes every read to the signed-in account,
/// and changes state only through the recorder (so the state machine sees every change). An
/// owner's save that meets a concurrent probe batch is read again and re-applied: the owner wins.
/// </summary>
public sealed class CheckService(
    TeamScope scope,
    CheckRecorder recorder,
    ProbeRunner runner,
    TestNowLimiter limiter,
    EgressGuard guard,
    IOptions<EngineOptions> engine,
    IOutputCacheStore cache,
    AccountRules rules,
    AuditLog audit,
    IOptions<QuotaOptions> quotas,
    TimeProvider time)
{
    /// <summary>The message an unconfirmed account gets instead of a saved (or tested) check.</summary>
    public const string ConfirmFirst = "Confirm your email address first: open the link we sent you (or send it again from the notice above). Until then checks cannot be saved or tested.";

    public int MinimumIntervalSeconds => engine.Value.MinimumIntervalSeconds;

    /// <summary>Checks the form and normalises it in place (host names, URLs, fields that do not act on the kind).</summary>
    public FieldErrors Validate(CheckForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new FieldErrors();
        var minimum = MinimumIntervalSeconds;
        form.Name = form.Name?.Trim() ?? "";
        if (form.Name.Length == 0)
        {
            errors.Add(nameof(CheckForm.Name), "Enter a name, e.g. “Mail server (SMTP)”.");
        }
        else if (form.Name.Length > Check.NameMaxLength)
        {
            errors.Add(nameof(CheckForm.Name), $"Use at most {Check.NameMaxLength} characters.");
        }

        if (!CheckKinds.IsOffered(form.Kind))
        {
            errors.Add(nameof(CheckForm.Kind), "Choose a kind of check.");
            return errors;
        }

        var kind = form.KindOf;
        form.Settings = kind.Validate(kind.From(form), new CheckValidation(minimum, guard.WhyBlocked), errors.Under(form.Kind.ToString()));

        if (form.IntervalSeconds < minimum)
        {
            errors.Add(nameof(CheckForm.IntervalSeconds), $"Check at most every {minimum} seconds.");
        }
        else if (form.IntervalSeconds > 86_400)
        {
            errors.Add(nameof(CheckForm.IntervalSeconds), "Choose how often to check: at least once a day.");
        }

        if (form.TimeoutSeconds is < 1 or > 60)
        {
            errors.Add(nameof(CheckForm.TimeoutSeconds), "Enter a timeout from 1 to 60 seconds.");
        }
        else if (!errors.Has(nameof(CheckForm.IntervalSeconds)) && form.TimeoutSeconds >= form.IntervalSeconds)
        {
            errors.Add(nameof(CheckForm.TimeoutSeconds), "The timeout must be shorter than the interval.");
        }

        if (form.FailureThreshold is < 1 or > 10)
        {
            errors.Add(nameof(CheckForm.FailureThreshold), "Enter 1 to 10 failed runs.");
        }

        if (form.RecoveryThreshold is < 1 or > 10)
        {
            errors.Add(nameof(CheckForm.RecoveryThreshold), "Enter 1 to 10 successful runs.");
        }

        if (form.RetryIntervalSeconds is { } retry && (retry < minimum || retry > 3600))
        {
            errors.Add(nameof(CheckForm.RetryIntervalSeconds), $"Enter {minimum} to 3600 seconds, or leave it empty.");
        }

        if (form.LatencyThresholdMs is < 1 or > 60_000)
        {
            errors.Add(nameof(CheckForm.LatencyThresholdMs), "Enter 1 to 60000 ms, or leave it empty.");
        }

        if (form.AlertDelayMinutes is < 1 or > 1440)
        {
            errors.Add(nameof(CheckForm.AlertDelayMinutes), "Enter 1 to 1440 minutes, or leave it empty to alert at once.");
        }

        return errors;
    }

    /// <summary>The account's status pages, for the form's "show on" choice.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> PagesAsync(CancellationToken cancellationToken)
    {
        var pages = await scope.Pages.AsNoTracking().OrderBy(p => p.Name).ThenBy(p => p.Id).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken);
        return pages.ConvertAll(p => (p.Id, p.Name));
    }

    /// <summary>The pages that show a check (ids), for filling the form.</summary>
    public async Task<List<int>> PageIdsOfAsync(int checkId, CancellationToken cancellationToken) =>
        await scope.Pages.Where(p => p.Checks.Any(pc => pc.CheckId == checkId)).Select(p => p.Id).ToListAsync(cancellationToken);

    /// <summary>The team's alert channels, for the form's "alert through" choice.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> ChannelsAsync(CancellationToken cancellationToken)
    {
        var team = scope.TeamId;
        var rows = await scope.Db.NotificationChannels.AsNoTracking().Where(c => c.TeamId == team).OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);
        return rows.ConvertAll(c => (c.Id, c.Name));
    }

    /// <summary>The channels the team ticked for new checks.</summary>
    public async Task<List<int>> DefaultChannelIdsAsync(CancellationToken cancellationToken)
    {
        var team = scope.TeamId;
        return await scope.Db.NotificationChannels.Where(c => c.TeamId == team && c.IsDefault).Select(c => c.Id).ToListAsync(cancellationToken);
    }

    public async Task<List<int>> ChannelIdsOfAsync(int checkId, CancellationToken cancellationToken)
    {
        var team = scope.TeamId;
        return await scope.Db.CheckChannels.Where(cc => cc.CheckId == checkId && cc.Channel!.TeamId == team).Select(cc => cc.ChannelId).ToListAsync(cancellationToken);
    }

    public async Task<CheckOutcome> CreateAsync(CheckForm form, CancellationToken cancellationToken)
    {
        var errors = Validate(form);
        RequireConfirmedAccount(errors);
        await ValidatePagesAsync(form, errors, cancellationToken);
        await ValidateChannelsAsync(form, errors, cancellationToken);
        var held = await scope.Checks.CountAsync(cancellationToken);
        if (held >= quotas.Value.ChecksPerTeam)
        {
            errors.Add("", $"This team has {held} checks, the most this instance allows ({quotas.Value.ChecksPerTeam}). Delete one, or ask the operator for more.");
        }

        if (!errors.IsEmpty)
        {
            return CheckOutcome.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var check = new Check { TeamId = scope.TeamId, Name = form.Name, CreatedAt = now, NextRunAt = now };
        form.ApplyTo(check);
        scope.Db.Checks.Add(check);
        await scope.Db.SaveChangesAsync(cancellationToken);
        audit.Record("check.created", Describe(check), check.Settings.Target);
        await scope.Db.SaveChangesAsync(cancellationToken);
        if (form.PagesChosen)
        {
            await PlaceOnPagesAsync(check.Id, form.PageIds, cancellationToken);
        }

        // A form that offered no choice (no channels then, or an API caller) gets the team's defaults.
        await SetChannelsAsync(check.Id, form.ChannelsChosen ? form.ChannelIds : await DefaultChannelIdsAsync(cancellationToken), cancellationToken);
        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        return CheckOutcome.Done(check);
    }

    public async Task<CheckOutcome> UpdateAsync(int id, CheckForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var existing = await scope.Checks.AsNoTracking().Where(c => c.Id == id).Select(c => (ProbeKind?)c.Kind).FirstOrDefaultAsync(cancellationToken);
        if (existing is not { } kind)
        {
            return CheckOutcome.NotFound;
        }

        form.Kind = kind; // fixed once saved
        var errors = Validate(form);
        RequireConfirmedAccount(errors);
        await ValidatePagesAsync(form, errors, cancellationToken);
        await ValidateChannelsAsync(form, errors, cancellationToken);
        if (!errors.IsEmpty)
        {
            return CheckOutcome.Invalid(errors);
        }

        var check = await ChangeAsync(id, check =>
        {
            var targetChanged = form.ApplyTo(check);
            audit.Record("check.updated", Describe(check), targetChanged ? "settings changed" : null);
            if (targetChanged)
            {
                recorder.Restart(check, "The owner changed what the check looks at");
            }
            else if (check.Enabled)
            {
                // Run the edited check soon rather than after the old interval; a run in flight
                // (leased under the old settings) writes nothing.
                check.NextRunAt = time.GetUtcNow();
                check.LeaseId = null;
            }
        }, cancellationToken);
        if (check is null)
        {
            return CheckOutcome.NotFound;
        }

        if (form.PagesChosen)
        {
            await PlaceOnPagesAsync(id, form.PageIds, cancellationToken);
        }

        if (form.ChannelsChosen)
        {
            await SetChannelsAsync(id, form.ChannelIds, cancellationToken);
        }

        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        return CheckOutcome.Done(check);
    }

    /// <summary>Stops runs at once; the check shows Paused everywhere, public pages included. Null when not found.</summary>
    public Task<Check?> PauseAsync(int id, CancellationToken cancellationToken) =>
        ChangeAndEvictAsync(id, check =>
        {
            recorder.Pause(check, "Paused by the owner");
            audit.Record("check.paused", Describe(check));
        }, cancellationToken);

    public Task<Check?> ResumeAsync(int id, CancellationToken cancellationToken) =>
        ChangeAndEvictAsync(id, check =>
        {
            recorder.Resume(check, "Resumed by the owner");
            audit.Record("check.resumed", Describe(check));
        }, cancellationToken);

    /// <summary>Deletes the check with its results, state changes and page placements. Null when not found.</summary>
    public async Task<Check?> DeleteAsync(int id, CancellationToken cancellationToken)
    {
        var check = await ChangeAsync(id, check =>
        {
            scope.Db.Checks.Remove(check);
            audit.Record("check.deleted", Describe(check));
        }, cancellationToken);
        if (check is not null)
        {
            await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        }

        return check;
    }

    /// <summary>Shows (or stops showing) a check on one of the account's pages; shown checks go to the end. False when either is not found.</summary>
    public async Task<bool> ShowOnPageAsync(int checkId, int pageId, bool shown, CancellationToken cancellationToken)
    {
        if (!await scope.Checks.AnyAsync(c => c.Id == checkId, cancellationToken) || !await scope.Pages.AnyAsync(p => p.Id == pageId, cancellationToken))
        {
            return false;
        }

        var placement = await scope.Db.StatusPageChecks.FirstOrDefaultAsync(pc => pc.StatusPageId == pageId && pc.CheckId == checkId, cancellationToken);
        audit.Record(shown ? "page.check-shown" : "page.check-hidden", AuditLog.Describe("status page", await scope.Pages.Where(p => p.Id == pageId).Select(p => p.Name).SingleAsync(cancellationToken), pageId),
            $"check #{checkId}");
        if (shown && placement is null)
        {
            scope.Db.StatusPageChecks.Add(new StatusPageCheck { StatusPageId = pageId, CheckId = checkId, SortOrder = await NextPositionAsync(pageId, cancellationToken) });
        }
        else if (!shown && placement is not null)
        {
            scope.Db.StatusPageChecks.Remove(placement);
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        return true;
    }

    /// <summary>Runs the check the form describes once, from this process, without saving anything.</summary>
    public async Task<TestOutcome> TestAsync(CheckForm form, CancellationToken cancellationToken)
    {
        var errors = Validate(form);
        RequireConfirmedAccount(errors);
        if (!errors.IsEmpty)
        {
            return new TestOutcome(errors, false, null, null);
        }

        if (!limiter.TryAcquire(scope.UserId))
        {
            return new TestOutcome(errors, true, null, null);
        }

        var request = new ProbeRequest(form.Settings, TimeSpan.FromSeconds(form.TimeoutSeconds));
        var result = await runner.RunAsync(request, cancellationToken);
        return new TestOutcome(errors, false, result, CheckEvaluator.Evaluate(request, result, time.GetUtcNow(), form.LatencyThresholdMs));
    }

    /// <summary>A hostile sign-up gets nowhere: an account whose address is not confirmed saves and runs no check.</summary>
    private void RequireConfirmedAccount(FieldErrors errors)
    {
        if (!rules.MaySaveChecks(scope.User))
        {
            errors.Add("", ConfirmFirst);
        }
    }

    private async Task<Check?> ChangeAndEvictAsync(int id, Action<Check> apply, CancellationToken cancellationToken)
    {
        var check = await ChangeAsync(id, apply, cancellationToken);
        if (check is not null)
        {
            await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        }

        return check;
    }

    /// <summary>
    /// Loads the account's check, applies the owner's change and saves it. When a probe batch saved
    /// the check in between (its version moved), the change is applied again to the fresh row.
    /// </summary>
    private async Task<Check?> ChangeAsync(int id, Action<Check> apply, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var check = await scope.FindCheckAsync(id, cancellationToken);
            if (check is null)
            {
                return null;
            }

            apply(check);
            try
            {
                await scope.Db.SaveChangesAsync(cancellationToken);
                return check;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                scope.Db.ChangeTracker.Clear();
            }
        }
    }

    private static string Describe(Check check) => AuditLog.Describe("check", check.Name, check.Id);

    private async Task ValidatePagesAsync(CheckForm form, FieldErrors errors, CancellationToken cancellationToken)
    {
        form.PageIds = [.. (form.PageIds ?? []).Distinct()];
        if (!form.PagesChosen || form.PageIds.Count == 0)
        {
            return;
        }

        var owned = await scope.Pages.Where(p => form.PageIds.Contains(p.Id)).CountAsync(cancellationToken);
        if (owned != form.PageIds.Count)
        {
            errors.Add(nameof(CheckForm.PageIds), "Choose status pages from the list.");
        }
    }

    private async Task ValidateChannelsAsync(CheckForm form, FieldErrors errors, CancellationToken cancellationToken)
    {
        form.ChannelIds = [.. (form.ChannelIds ?? []).Distinct()];
        if (!form.ChannelsChosen || form.ChannelIds.Count == 0)
        {
            return;
        }

        var team = scope.TeamId;
        var owned = await scope.Db.NotificationChannels.Where(c => c.TeamId == team && form.ChannelIds.Contains(c.Id)).CountAsync(cancellationToken);
        if (owned != form.ChannelIds.Count)
        {
            errors.Add(nameof(CheckForm.ChannelIds), "Choose alert channels from the list.");
        }
    }

    /// <summary>Makes the check alert through exactly these (validated) channels.</summary>
    private async Task SetChannelsAsync(int checkId, List<int> channelIds, CancellationToken cancellationToken)
    {
        var current = await scope.Db.CheckChannels.Where(cc => cc.CheckId == checkId).ToListAsync(cancellationToken);
        scope.Db.CheckChannels.RemoveRange(current.Where(cc => !channelIds.Contains(cc.ChannelId)));
        foreach (var channelId in channelIds.Where(id => current.All(cc => cc.ChannelId != id)))
        {
            scope.Db.CheckChannels.Add(new CheckChannel { CheckId = checkId, ChannelId = channelId });
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Makes the check shown on exactly these (validated) pages; new placements go to the end.</summary>
    private async Task PlaceOnPagesAsync(int checkId, List<int> pageIds, CancellationToken cancellationToken)
    {
        var placements = await scope.Db.StatusPageChecks.Where(pc => pc.CheckId == checkId).ToListAsync(cancellationToken);
        scope.Db.StatusPageChecks.RemoveRange(placements.Where(pc => !pageIds.Contains(pc.StatusPageId)));
        foreach (var pageId in pageIds.Where(id => placements.All(pc => pc.StatusPageId != id)))
        {
            scope.Db.StatusPageChecks.Add(new StatusPageCheck { StatusPageId = pageId, CheckId = checkId, SortOrder = await NextPositionAsync(pageId, cancellationToken) });
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
    }

    private async Task<int> NextPositionAsync(int pageId, CancellationToken cancellationToken) =>
        (await scope.Db.StatusPageChecks.Where(pc => pc.StatusPageId == pageId).MaxAsync(pc => (int?)pc.SortOrder, cancellationToken) ?? 0) + 1;
}
