using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Subscribers;
using Watchtower.Web.Checks;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Incidents;

/// <summary>What a change to an incident or a maintenance window came to: done (with its id), not found (not this team's), or invalid (with field messages).</summary>
public sealed record Outcome(int? Id, FieldErrors Errors, bool NotFound = false)
{
    public static Outcome Missing { get; } = new(null, new FieldErrors(), NotFound: true);

    public bool Done => Id is not null;

    public static Outcome Invalid(FieldErrors errors) => new(null, errors);

    public static Outcome Ok(int id) => new(id, new FieldErrors());
}

/// <summary>A service shown on a page, as the incident and maintenance forms offer it.</summary>
public sealed record PageComponent(int CheckId, string Name, CheckState State);

/// <summary>
/// The one way an owner changes incidents: open, post an update (which moves the status), edit,
/// hide, resolve, merge. Every read is scoped to the current team (another team's incident is not
/// found), every change is audited and evicts the public pages from the output cache.
/// </summary>
public sealed class IncidentService(TeamScope scope, AuditLog audit, IOutputCacheStore cache, TimeProvider time)
{
    public const string ResolvedText = "This incident has been resolved.";

    public IQueryable<Incident> Incidents
    {
        get
        {
            var team = scope.TeamId;
            return scope.Db.Incidents.Where(i => i.TeamId == team);
        }
    }

    /// <summary>The services a page shows, in its order: what an incident or a window can affect.</summary>
    public async Task<IReadOnlyList<PageComponent>> ComponentsOfAsync(int pageId, CancellationToken cancellationToken) =>
        await scope.Pages.Where(p => p.Id == pageId).SelectMany(p => p.Checks).OrderBy(pc => pc.SortOrder)
            .Select(pc => new PageComponent(pc.CheckId, pc.Check!.Name, pc.Check.State)).ToListAsync(cancellationToken);

    /// <summary>The team's incident with its timeline (oldest first) and services; null when not found.</summary>
    public async Task<Incident?> FindAsync(int id, CancellationToken cancellationToken)
    {
        var incident = await Incidents.AsNoTracking().Include(i => i.StatusPage).Include(i => i.Components).ThenInclude(c => c.Check)
            .FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is not null)
        {
            incident.Updates = await scope.Db.IncidentUpdates.AsNoTracking().Where(u => u.IncidentId == id).OrderBy(u => u.At).ThenBy(u => u.Id).ToListAsync(cancellationToken);
        }

        return incident;
    }

    public async Task<Outcome> CreateAsync(int pageId, IncidentInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var page = await scope.FindPageAsync(pageId, cancellationToken);
        if (page is null)
        {
            return Outcome.Missing;
        }

        var errors = new FieldErrors();
        ValidateDetails(input, errors);
        ValidateBody(input.Body, nameof(IncidentInput.Body), errors, "Write what readers should know, e.g. “We are looking into failed logins.”");
        var components = await ValidateComponentsAsync(pageId, input.Components, errors, cancellationToken);
        if (!errors.IsEmpty)
        {
            return Outcome.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var incident = new Incident
        {
            TeamId = scope.TeamId,
            StatusPageId = pageId,
            Title = input.Title!,
            Status = input.Status,
            Impact = input.Impact,
            Hidden = input.Hidden,
            CreatedAt = now,
            ResolvedAt = input.Status == IncidentStatus.Resolved ? now : null,
            Updates = [new IncidentUpdate { Status = input.Status, Body = input.Body!, At = now }],
            Components = components,
        };
        scope.Db.Incidents.Add(incident);
        NoticeRecorder.Incident(scope.Db, incident, incident.Updates[0], input.Status == IncidentStatus.Resolved ? AlertEventType.IncidentResolved : AlertEventType.IncidentOpened);
        await scope.Db.SaveChangesAsync(cancellationToken);
        audit.Record("incident.created", Describe(incident), $"{page.Name}: {input.Status}, {input.Impact} impact");
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(incident.Id);
    }

    /// <summary>Changes the title, impact, services and hidden flag; the status changes only through updates.</summary>
    public async Task<Outcome> EditAsync(int id, IncidentInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var incident = await Incidents.Include(i => i.Components).FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null)
        {
            return Outcome.Missing;
        }

        var errors = new FieldErrors();
        ValidateDetails(input, errors);
        var components = await ValidateComponentsAsync(incident.StatusPageId, input.Components, errors, cancellationToken);
        if (!errors.IsEmpty)
        {
            return Outcome.Invalid(errors);
        }

        incident.Title = input.Title!;
        incident.Impact = input.Impact;
        incident.Hidden = input.Hidden;
        scope.Db.IncidentComponents.RemoveRange(incident.Components.Where(c => components.All(n => n.CheckId != c.CheckId)));
        foreach (var wanted in components)
        {
            if (incident.Components.FirstOrDefault(c => c.CheckId == wanted.CheckId) is { } kept)
            {
                kept.Status = wanted.Status;
            }
            else
            {
                incident.Components.Add(wanted);
            }
        }

        audit.Record("incident.edited", Describe(incident), input.Hidden ? "hidden" : null);
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(incident.Id);
    }

    /// <summary>Adds a timeline entry and moves the incident to its status; resolving sets the end time, reopening clears it.</summary>
    public async Task<Outcome> PostUpdateAsync(int id, UpdateInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var incident = await Incidents.Include(i => i.Components).FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null)
        {
            return Outcome.Missing;
        }

        var errors = new FieldErrors();
        input.Body = input.Body?.Trim();
        ValidateBody(input.Body, nameof(UpdateInput.Body), errors, "Write what changed, e.g. “A fix is rolling out.”");
        if (!errors.IsEmpty)
        {
            return Outcome.Invalid(errors);
        }

        Apply(incident, input.Status, input.Body!, time.GetUtcNow());
        audit.Record("incident.updated", Describe(incident), input.Status.ToString());
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(incident.Id);
    }

    public async Task<Outcome> ResolveAsync(int id, CancellationToken cancellationToken)
    {
        var incident = await Incidents.Include(i => i.Components).FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null)
        {
            return Outcome.Missing;
        }

        if (incident.IsOpen)
        {
            Apply(incident, IncidentStatus.Resolved, ResolvedText, time.GetUtcNow());
            audit.Record("incident.resolved", Describe(incident));
            await SaveAndEvictAsync(cancellationToken);
        }

        return Outcome.Ok(incident.Id);
    }

    public async Task<Outcome> SetHiddenAsync(int id, bool hidden, CancellationToken cancellationToken)
    {
        var incident = await Incidents.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null)
        {
            return Outcome.Missing;
        }

        incident.Hidden = hidden;
        audit.Record(hidden ? "incident.hidden" : "incident.shown", Describe(incident));
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(incident.Id);
    }

    /// <summary>The other incidents of the same page that <paramref name="id"/> could be merged into (not merged themselves).</summary>
    public async Task<IReadOnlyList<(int Id, string Title, DateTimeOffset CreatedAt)>> MergeTargetsAsync(Incident incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var rows = await Incidents.AsNoTracking()
            .Where(i => i.StatusPageId == incident.StatusPageId && i.Id != incident.Id && i.MergedIntoId == null)
            .OrderByDescending(i => i.CreatedAt).Take(50).Select(i => new { i.Id, i.Title, i.CreatedAt }).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => (r.Id, r.Title, r.CreatedAt));
    }

    /// <summary>
    /// Merges incident <paramref name="id"/> into <paramref name="intoId"/> (same page): the target
    /// gains its services and timeline and starts when the earlier one did; the merged one is kept,
    /// hidden and resolved, pointing at the target. Not found when either is not the team's.
    /// </summary>
    public async Task<Outcome> MergeAsync(int id, int intoId, CancellationToken cancellationToken)
    {
        var source = await Incidents.Include(i => i.Components).Include(i => i.Updates).FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        var target = await Incidents.Include(i => i.Components).FirstOrDefaultAsync(i => i.Id == intoId, cancellationToken);
        if (source is null || target is null)
        {
            return Outcome.Missing;
        }

        var errors = new FieldErrors();
        if (source.Id == target.Id)
        {
            errors.Add("intoId", "Choose another incident to merge into.");
        }
        else if (source.StatusPageId != target.StatusPageId)
        {
            errors.Add("intoId", "Incidents merge only within one status page.");
        }
        else if (source.MergedIntoId is not null || target.MergedIntoId is not null)
        {
            errors.Add("intoId", "This incident was merged already.");
        }

        if (!errors.IsEmpty)
        {
            return Outcome.Invalid(errors);
        }

        foreach (var component in source.Components)
        {
            if (target.Components.FirstOrDefault(c => c.CheckId == component.CheckId) is { } same)
            {
                same.Status = (ComponentStatus)Math.Max((int)same.Status, (int)component.Status);
            }
            else
            {
                target.Components.Add(new IncidentComponent { CheckId = component.CheckId, Status = component.Status });
            }
        }

        foreach (var update in source.Updates)
        {
            scope.Db.IncidentUpdates.Add(new IncidentUpdate { IncidentId = target.Id, Status = update.Status, Body = update.Body, At = update.At });
        }

        var now = time.GetUtcNow();
        target.CreatedAt = target.CreatedAt < source.CreatedAt ? target.CreatedAt : source.CreatedAt;
        target.Impact = (IncidentImpact)Math.Max((int)target.Impact, (int)source.Impact);
        if (source.IsOpen && !target.IsOpen)
        {
            // The merged outage is still going on: so is the incident that now tells of it.
            target.Status = source.Status;
            target.ResolvedAt = null;
        }

        source.MergedIntoId = target.Id;
        source.Hidden = true;
        if (source.IsOpen)
        {
            source.Status = IncidentStatus.Resolved;
            source.ResolvedAt = now;
        }

        audit.Record("incident.merged", Describe(source), $"into incident #{target.Id}");
        await SaveAndEvictAsync(cancellationToken);
        return Outcome.Ok(target.Id);
    }

    private void Apply(Incident incident, IncidentStatus status, string body, DateTimeOffset now)
    {
        var update = new IncidentUpdate { IncidentId = incident.Id, Status = status, Body = body, At = now };
        incident.Updates.Add(update);
        // The notice is saved with the entry: owner channels and the page's subscribers hear of it once.
        NoticeRecorder.Incident(scope.Db, incident, update, status == IncidentStatus.Resolved ? AlertEventType.IncidentResolved : AlertEventType.IncidentUpdated);
        incident.Status = status;
        if (status == IncidentStatus.Resolved)
        {
            incident.ResolvedAt ??= now;
            foreach (var component in incident.Components)
            {
                component.Status = ComponentStatus.Operational;
            }
        }
        else
        {
            incident.ResolvedAt = null;
        }
    }

    private static void ValidateDetails(IncidentInput input, FieldErrors errors)
    {
        input.Title = input.Title?.Trim() ?? "";
        if (input.Title.Length == 0)
        {
            errors.Add(nameof(IncidentInput.Title), "Enter a title, e.g. “Email delivery delayed”.");
        }
        else if (input.Title.Length > Incident.TitleMaxLength)
        {
            errors.Add(nameof(IncidentInput.Title), $"Use at most {Incident.TitleMaxLength} characters.");
        }

        input.Body = input.Body?.Trim();
    }

    internal static void ValidateBody(string? body, string field, FieldErrors errors, string whenEmpty)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            errors.Add(field, whenEmpty);
        }
        else if (body.Length > IncidentUpdate.BodyMaxLength)
        {
            errors.Add(field, $"Use at most {IncidentUpdate.BodyMaxLength:N0} characters.");
        }
    }

    /// <summary>The affected rows as components; a service not shown on the page (another team's, or none) is a field message.</summary>
    private async Task<List<IncidentComponent>> ValidateComponentsAsync(int pageId, List<ComponentChoice>? choices, FieldErrors errors, CancellationToken cancellationToken)
    {
        var affected = (choices ?? []).Where(c => c.Affected).GroupBy(c => c.CheckId).Select(g => g.First()).ToList();
        if (affected.Count == 0)
        {
            return [];
        }

        var ids = affected.Select(c => c.CheckId).ToList();
        var shown = await scope.Pages.Where(p => p.Id == pageId).SelectMany(p => p.Checks).Where(pc => ids.Contains(pc.CheckId)).Select(pc => pc.CheckId).ToListAsync(cancellationToken);
        if (shown.Count != ids.Count)
        {
            errors.Add(nameof(IncidentInput.Components), "Choose services shown on this status page.");
            return [];
        }

        return affected.ConvertAll(c => new IncidentComponent { CheckId = c.CheckId, Status = c.Status });
    }

    private async Task SaveAndEvictAsync(CancellationToken cancellationToken)
    {
        await scope.Db.SaveChangesAsync(cancellationToken);
        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
    }

    private static string Describe(Incident incident) => AuditLog.Describe("incident", incident.Title, incident.Id);
}
