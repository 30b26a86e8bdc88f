using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data.Entities;
using Watchtower.Probes.Tcp;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Security;

/// <summary>A person of the suite: signed up through the pages (with a client) or made in the database (no client).</summary>
internal sealed record Person(string UserId, string Email, int PersonalTeamId, OwnerClient? Client) : IDisposable
{
    public OwnerClient Browser => Client ?? throw new InvalidOperationException($"{Email} has no session.");

    public void Dispose()
    {
        if (Client is not null)
        {
            SecurityWorld.Forget(Client);
            Client.Dispose();
        }
    }
}

/// <summary>The ids of one team's things, as a probe fills them into routes, queries and forms.</summary>
internal sealed record TeamIds(
    int TeamId, string TeamName, int CheckId, int PageId, int InvitationId, string MemberUserId, int OtherTeamId, string JoinToken, string Marker,
    int IncidentId, int OtherIncidentId, int MaintenanceId, int ChannelId, int SubscriberId = 0)
{
    public string Of(ObjectKind kind) => kind switch
    {
        ObjectKind.Check => Text(CheckId),
        ObjectKind.StatusPage => Text(PageId),
        ObjectKind.Invitation => Text(InvitationId),
        ObjectKind.Member => MemberUserId,
        ObjectKind.Incident => Text(IncidentId),
        ObjectKind.Maintenance => Text(MaintenanceId),
        ObjectKind.Channel => Text(ChannelId),
        ObjectKind.Subscriber => Text(SubscriberId),
        _ => Text(TeamId),
    };

    /// <summary>An id of the kind that no object has.</summary>
    public static string Missing(ObjectKind kind) => kind == ObjectKind.Member ? Guid.NewGuid().ToString() : "1999999937";

    private static string Text(int id) => id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One request of a walk: what it tries and the answer.</summary>
internal sealed record Probe(PageHandler Handler, string Url, IReadOnlyList<KeyValuePair<string, string>> Form, string What)
{
    public override string ToString() => $"{Handler.Verb} {Url}{(What.Length > 0 ? " [" + What + "]" : "")}";
}

/// <summary>
/// Teams made straight in the app's database (a team, its members with roles, a check shown on a
/// status page, an open invitation, and an invitation to a second team for the acting person), the
/// requests that walk a handler with their ids, and a snapshot of a team to prove nothing changed.
/// </summary>
internal static class SecurityWorld
{
    private static readonly ConcurrentDictionary<OwnerClient, string> Tokens = new();

    public static async Task<Person> SignUpAsync(WatchtowerApp app)
    {
        var client = await new OwnerClient(app).RegisterAsync();
        await using var scope = app.CreateScope(out var db);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == client.Email, Ct);
        return new Person(user.Id, client.Email, user.CurrentTeamId!.Value, client);
    }

    /// <summary>A confirmed account made through the app's user manager (with its personal team), never signed in.</summary>
    public static async Task<Person> AddPersonAsync(WatchtowerApp app, string marker)
    {
        await using var scope = app.CreateScope(out _);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WatchtowerUser>>();
        var email = $"{marker}-{Guid.NewGuid():N}@example.com";
        var user = new WatchtowerUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return new Person(user.Id, email, user.CurrentTeamId!.Value, null);
    }

    /// <summary>
    /// A new team where <paramref name="actor"/> has <paramref name="role"/> (or is not a member, when
    /// null) and works in it; <paramref name="owner"/> owns it; <paramref name="member"/> is a viewer.
    /// Every name in it carries <paramref name="marker"/>, so an answer that shows any of it is found.
    /// </summary>
    public static async Task<TeamIds> CreateTeamAsync(
        WatchtowerApp app, Person actor, TeamRole? role, Person owner, Person member, string marker, bool requireTwoFactor = false)
    {
        await using var scope = app.CreateScope(out var db);
        var now = DateTimeOffset.UtcNow;
        var members = new List<TeamMember> { new() { UserId = owner.UserId, Role = TeamRole.Owner, JoinedAt = now }, new() { UserId = member.UserId, Role = TeamRole.Viewer, JoinedAt = now } };
        if (role is { } actorRole && actor.UserId != owner.UserId)
        {
            members.Add(new TeamMember { UserId = actor.UserId, Role = actorRole, JoinedAt = now.AddSeconds(1) });
        }

        var team = new Team { Name = $"{marker} team", CreatedAt = now, CreatedByUserId = owner.UserId, RequireTwoFactor = requireTwoFactor, Members = members };
        var other = new Team { Name = $"{marker} other team", CreatedAt = now, CreatedByUserId = owner.UserId, Members = [new() { UserId = owner.UserId, Role = TeamRole.Owner, JoinedAt = now }] };
        db.Teams.AddRange(team, other);
        await db.SaveChangesAsync(Ct);

        var check = new Check { TeamId = team.Id, Name = $"{marker} check", CreatedAt = now, NextRunAt = now.AddDays(1), Settings = new TcpSettings { Host = $"{marker}.example.com", Port = 25 } };
        var page = new StatusPage
        {
            TeamId = team.Id, Name = $"{marker} page", Slug = $"s-{Guid.NewGuid():N}"[..24], Description = $"{marker} description", CreatedAt = now,
            Checks = [new StatusPageCheck { Check = check, SortOrder = 1 }],
        };
        var invitation = new TeamInvitation
        {
            TeamId = team.Id, Email = $"{marker}-invitee@example.com", Role = TeamRole.Editor, TokenHash = Hash(NewToken()), CreatedAt = now, ExpiresAt = now.AddDays(7),
            InvitedByUserId = owner.UserId,
        };
        var joinToken = NewToken();
        var join = new TeamInvitation
        {
            TeamId = other.Id, Email = actor.Email, Role = TeamRole.Viewer, TokenHash = Hash(joinToken), CreatedAt = now, ExpiresAt = now.AddDays(7),
            InvitedByUserId = owner.UserId,
        };
        db.Checks.Add(check);
        db.StatusPages.Add(page);
        db.TeamInvitations.AddRange(invitation, join);
        await db.SaveChangesAsync(Ct);

        // Two incidents on the page (one to merge into the other) and a maintenance window of its check.
        Incident NewIncident(string title) => new()
        {
            TeamId = team.Id, StatusPageId = page.Id, Title = $"{marker} {title}", Status = IncidentStatus.Investigating, Impact = IncidentImpact.Minor, CreatedAt = now,
            Updates = [new IncidentUpdate { Status = IncidentStatus.Investigating, Body = $"{marker} update", At = now }],
            Components = [new IncidentComponent { CheckId = check.Id, Status = ComponentStatus.PartialOutage }],
        };
        var incident = NewIncident("incident");
        var otherIncident = NewIncident("other incident");
        var maintenance = new Maintenance
        {
            TeamId = team.Id, StatusPageId = page.Id, Title = $"{marker} maintenance", Body = $"{marker} notice", StartsAt = now.AddDays(1), EndsAt = now.AddDays(1).AddHours(1),
            TimeZone = "Europe/Berlin", CreatedAt = now, Components = [new MaintenanceComponent { CheckId = check.Id }],
        };
        db.Incidents.AddRange(incident, otherIncident);
        db.Maintenances.Add(maintenance);
        var channel = new NotificationChannel { TeamId = team.Id, Name = $"{marker} channel", Kind = ChannelKind.Email, Addresses = $"{marker}-ops@example.com", CreatedAt = now };
        db.NotificationChannels.Add(channel);
        var subscriber = new Subscriber { TeamId = team.Id, StatusPageId = page.Id, Kind = SubscriberKind.Email, Email = $"{marker}-reader@example.com", State = SubscriberState.Confirmed, CreatedAt = now };
        db.Subscribers.Add(subscriber);
        await db.SaveChangesAsync(Ct);
        db.CheckChannels.Add(new CheckChannel { CheckId = check.Id, ChannelId = channel.Id });
        await db.SaveChangesAsync(Ct);
        if (role is not null)
        {
            await db.Users.Where(u => u.Id == actor.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.CurrentTeamId, team.Id), Ct);
        }

        return new TeamIds(team.Id, team.Name, check.Id, page.Id, invitation.Id, member.UserId, actor.PersonalTeamId, joinToken, marker, incident.Id, otherIncident.Id, maintenance.Id, channel.Id, subscriber.Id);
    }

    /// <summary>Deletes every team these people are in, except the ones kept (their personal teams, the victim's team), as the app deletes a team.</summary>
    public static async Task RemoveTeamsAsync(WatchtowerApp app, IEnumerable<Person> people, IEnumerable<int> keep)
    {
        var ids = people.Select(p => p.UserId).ToList();
        var kept = keep.ToList();
        await using var scope = app.CreateScope(out var db);
        var teams = await db.Teams.Where(t => t.Members.Any(m => ids.Contains(m.UserId)) && !kept.Contains(t.Id)).ToListAsync(Ct);
        db.Teams.RemoveRange(teams);
        await db.SaveChangesAsync(Ct);
    }

    public static string NewMarker(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..16];

    /// <summary>
    /// The request for a handler with a team's ids: the route's id, the handler's parameters (query for a
    /// GET, form for a POST) and the page's bound forms, filled plausibly so that a refusal is the
    /// app's decision, not a malformed request; <paramref name="slot"/> replaces one id with another.
    /// </summary>
    public static Probe Build(PageHandler handler, TeamIds own, (IdSlot Slot, string Id)? slot = null, string what = "")
    {
        string Id(string slotName, ObjectKind kind) => slot is { } s && s.Slot.Name == slotName ? s.Id : own.Of(kind);

        var fields = new List<KeyValuePair<string, string>>();
        void Add(string name, string value) => fields.Add(new(name, value));

        var path = "/" + handler.Route.Template;
        if (handler.Route.RouteIdKind is { } routeKind)
        {
            path = System.Text.RegularExpressions.Regex.Replace(path, @"\{id[^}]*\}", Id("id", routeKind));
        }

        foreach (var parameter in handler.Parameters)
        {
            switch (parameter.Name)
            {
                case "id":
                    break;
                case "pageId":
                    Add("pageId", Id("pageId", ObjectKind.StatusPage));
                    break;
                case "page":
                    Add("page", Id("page", ObjectKind.StatusPage));
                    break;
                case "subscriberId":
                    Add("subscriberId", Id("subscriberId", ObjectKind.Subscriber));
                    break;
                case "invitationId":
                    Add("invitationId", Id("invitationId", ObjectKind.Invitation));
                    break;
                case "userId":
                    Add("userId", Id("userId", ObjectKind.Member));
                    break;
                case "teamId":
                    Add("teamId", slot is { } s && s.Slot.Name == "teamId" ? s.Id : own.OtherTeamId.ToString(CultureInfo.InvariantCulture));
                    break;
                case "intoId":
                    Add("intoId", slot is { } into && into.Slot.Name == "intoId" ? into.Id : own.OtherIncidentId.ToString(CultureInfo.InvariantCulture));
                    break;
                case "hidden":
                    Add("hidden", "true");
                    break;
                case "move":
                    Add("move", $"{Id("move", ObjectKind.Check)}:down");
                    break;
                case "shown":
                    Add("shown", "true");
                    break;
                case "role":
                    Add("role", nameof(TeamRole.Editor));
                    break;
                case "required":
                    Add("required", "false");
                    break;
                case "switchTo":
                    Add("switchTo", "Http");
                    break;
                case "kind":
                    Add("kind", "Tcp");
                    break;
                case "host":
                    Add("host", "127.0.0.1");
                    break;
                case "port":
                    Add("port", "9");
                    break;
                case "p":
                    Add("p", "1");
                    break;
                default:
                    throw new InvalidOperationException($"{handler.Key}: no value for parameter {parameter.Name} (RouteCatalog should have said so)");
            }
        }

        foreach (var property in handler.BoundProperties)
        {
            switch (property.Name, property.PropertyType.Name)
            {
                case ("Input", "CheckForm"):
                    Add("Input.Name", $"{own.Marker} form check");
                    Add("Input.Kind", "Tcp");
                    Add("Input.Tcp.Host", "127.0.0.1");
                    Add("Input.Tcp.Port", "9");
                    Add("Input.IntervalSeconds", "60");
                    Add("Input.TimeoutSeconds", "2");
                    Add("Input.PagesChosen", "true");
                    Add("Input.PageIds", own.Of(ObjectKind.StatusPage));
                    if (slot is { } pages && pages.Slot.Name == "Input.PageIds")
                    {
                        Add("Input.PageIds", pages.Id);
                    }

                    Add("Input.ChannelsChosen", "true");
                    Add("Input.ChannelIds", own.Of(ObjectKind.Channel));
                    if (slot is { } channels && channels.Slot.Name == "Input.ChannelIds")
                    {
                        Add("Input.ChannelIds", channels.Id);
                    }

                    break;
                case ("Input", "ChannelInput"):
                    Add("Input.Kind", nameof(ChannelKind.Email));
                    Add("Input.Name", $"{own.Marker} form channel");
                    Add("Input.Addresses", $"{own.Marker}-form@example.com");
                    break;
                case ("Input", "PageInput"):
                    Add("Input.Name", $"{own.Marker} form page");
                    Add("Input.Slug", $"f-{Guid.NewGuid():N}"[..24]);
                    Add("Input.Description", "Posted by the security suite");
                    break;
                case ("Choices", _):
                    Add("Choices[0].CheckId", own.Of(ObjectKind.Check));
                    Add("Choices[0].Shown", "true");
                    Add("Choices[0].Position", "1");
                    if (slot is { } choice && choice.Slot.Name == "Choices.CheckId")
                    {
                        Add("Choices[1].CheckId", choice.Id);
                        Add("Choices[1].Shown", "true");
                        Add("Choices[1].Position", "2");
                    }

                    break;
                case ("Input", "IncidentInput"):
                    Add("Input.Title", $"{own.Marker} form incident");
                    Add("Input.Status", nameof(IncidentStatus.Identified));
                    Add("Input.Impact", nameof(IncidentImpact.Major));
                    Add("Input.Body", "Posted by the security suite");
                    Add("Input.Components[0].CheckId", own.Of(ObjectKind.Check));
                    Add("Input.Components[0].Affected", "true");
                    Add("Input.Components[0].Status", nameof(ComponentStatus.MajorOutage));
                    if (slot is { } component && component.Slot.Name == "Input.Components.CheckId")
                    {
                        Add("Input.Components[1].CheckId", component.Id);
                        Add("Input.Components[1].Affected", "true");
                        Add("Input.Components[1].Status", nameof(ComponentStatus.MajorOutage));
                    }

                    break;
                case ("Input", "MaintenanceInput"):
                    Add("Input.Title", $"{own.Marker} form maintenance");
                    Add("Input.Body", "Posted by the security suite");
                    Add("Input.StartsAt", DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
                    Add("Input.EndsAt", DateTime.UtcNow.AddDays(2).AddHours(2).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
                    Add("Input.TimeZone", "Europe/Berlin");
                    Add("Input.AutoStartEnd", "true");
                    Add("Input.CheckIds", own.Of(ObjectKind.Check));
                    if (slot is { } checks && checks.Slot.Name == "Input.CheckIds")
                    {
                        Add("Input.CheckIds", checks.Id);
                    }

                    break;
                case ("Update", _):
                    Add("Update.Status", nameof(IncidentStatus.Monitoring));
                    Add("Update.Body", "A fix is in place (security suite).");
                    break;
                case ("Invite", _):
                    Add("Invite.Email", $"{own.Marker}-{Guid.NewGuid():N}@example.com");
                    Add("Invite.Role", nameof(TeamRole.Viewer));
                    break;
                case ("Name", _):
                    Add("Name", $"{own.Marker} renamed");
                    break;
                case ("ConfirmName", _):
                    Add("ConfirmName", own.TeamName);
                    break;
                case ("Token", _):
                    Add("Token", own.JoinToken);
                    break;
                // The dashboard's filter and pager: the filtered list still shows only the member's team.
                case ("StateParameter", _):
                    Add("state", "down");
                    break;
                case ("KindParameter", _):
                    Add("kind", "tcp");
                    break;
                case ("Search", _):
                    Add("q", own.Marker);
                    break;
                case ("PageParameter", _):
                    Add("p", "1");
                    break;
                case ("Groups", _):
                    Add("Groups[0].Name", $"{own.Marker} group");
                    Add("Groups[0].Position", "1");
                    break;
                case ("Input", "BrandingInput"):
                    Add("Input.Visibility", nameof(StatusPageVisibility.Public));
                    Add("Input.AccentColor", "#123456");
                    break;
                case ("Input", "DomainInput"):
                    Add("Input.Domain", $"s{Guid.NewGuid():N}.example.com");
                    break;
                default:
                    throw new InvalidOperationException($"{handler.Key}: no value for bound property {property.Name} (RouteCatalog should have said so)");
            }
        }

        var query = handler.Name is null ? [] : new List<KeyValuePair<string, string>> { new("handler", handler.Name) };
        if (handler.IsGet)
        {
            query.AddRange(fields);
            fields = [];
        }

        var url = query.Count == 0 ? path : path + "?" + string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        return new Probe(handler, url, fields, what);
    }

    /// <summary>Sends a probe as a browser would: a POST carries the person's antiforgery token.</summary>
    public static async Task<OwnerClient.Page> SendAsync(OwnerClient client, Probe probe)
    {
        using var request = new HttpRequestMessage(probe.Handler.IsGet ? HttpMethod.Get : HttpMethod.Post, new Uri(probe.Url, UriKind.Relative));
        if (!probe.Handler.IsGet)
        {
            request.Content = new FormUrlEncodedContent([.. probe.Form, new("__RequestVerificationToken", await TokenAsync(client))]);
        }

        using var response = await client.Http.SendAsync(request, Ct);
        return await OwnerClient.Page.FromAsync(response);
    }

    /// <summary>The person's antiforgery token, from their account page (it opens in every state a team can be in).</summary>
    public static async Task<string> TokenAsync(OwnerClient client)
    {
        if (!Tokens.TryGetValue(client, out var token))
        {
            token = await client.AntiforgeryTokenAsync("/Account/Manage");
            Tokens[client] = token;
        }

        return token;
    }

    public static void Forget(OwnerClient client) => Tokens.TryRemove(client, out _);

    /// <summary>
    /// Why an answer is not "the handler ran": a 403, a 400 (the request was malformed, not refused), a
    /// 404, an error, a redirect to sign in, to make a team or to turn on two-factor, or a form that came
    /// back with field messages. Null when it ran.
    /// </summary>
    public static string? NotRun(OwnerClient.Page page)
    {
        var location = LocationOf(page);
        return page.Status switch
        {
            HttpStatusCode.OK when page.Text(".field-error, .errors, .validation-summary-errors") is { Length: > 0 } errors => $"200 with field messages: {errors}",
            HttpStatusCode.OK => null,
            HttpStatusCode.Redirect when location.StartsWith("/Account/Login", StringComparison.OrdinalIgnoreCase)
                || location.StartsWith("/Teams/Create", StringComparison.OrdinalIgnoreCase)
                || location.StartsWith("/Account/Manage/TwoFactor", StringComparison.OrdinalIgnoreCase) => $"302 to {location}",
            HttpStatusCode.Redirect => null,
            _ => $"{(int)page.Status}",
        };
    }

    /// <summary>Where a redirect goes, as a path and query (the challenge to sign in is absolute, the app's own redirects are not).</summary>
    public static string LocationOf(OwnerClient.Page page) =>
        page.Location is not { } location ? "" : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    /// <summary>Everything of a team that another team's member must not be able to change, one line a fact.</summary>
    public static async Task<List<string>> SnapshotAsync(WatchtowerApp app, int teamId)
    {
        await using var scope = app.CreateScope(out var db);
        var lines = new List<string>();
        var team = await db.Teams.AsNoTracking().SingleAsync(t => t.Id == teamId, Ct);
        lines.Add($"team {team.Name} 2fa={team.RequireTwoFactor}");
        foreach (var m in await db.TeamMembers.AsNoTracking().Include(m => m.User).Where(m => m.TeamId == teamId).OrderBy(m => m.UserId).ToListAsync(Ct))
        {
            lines.Add($"member {m.UserId} {m.Role} joined={m.JoinedAt:O} email={m.User!.Email} current={m.User.CurrentTeamId} stamp={m.User.SecurityStamp} 2fa={m.User.TwoFactorEnabled}");
        }

        foreach (var i in await db.TeamInvitations.AsNoTracking().Where(i => i.TeamId == teamId).OrderBy(i => i.Id).ToListAsync(Ct))
        {
            lines.Add($"invitation {i.Id} {i.Email} {i.Role} expires={i.ExpiresAt:O} accepted={i.AcceptedAt:O}/{i.AcceptedByUserId} revoked={i.RevokedAt:O}");
        }

        foreach (var c in await db.Checks.AsNoTracking().Where(c => c.TeamId == teamId).OrderBy(c => c.Id).ToListAsync(Ct))
        {
            lines.Add($"check {c.Id} {c.Name} {c.Settings.Target} enabled={c.Enabled} state={c.State} every={c.IntervalSeconds} timeout={c.TimeoutSeconds} version={c.Version} next={c.NextRunAt:O}");
        }

        foreach (var p in await db.StatusPages.AsNoTracking().Include(p => p.Checks).Where(p => p.TeamId == teamId).OrderBy(p => p.Id).ToListAsync(Ct))
        {
            lines.Add($"page {p.Id} {p.Name} /status/{p.Slug} {p.Description} checks=[{string.Join(", ", p.Checks.OrderBy(c => c.SortOrder).Select(c => $"{c.CheckId}@{c.SortOrder}"))}]");
        }

        var pageIds = await db.StatusPages.Where(p => p.TeamId == teamId).Select(p => p.Id).ToListAsync(Ct);
        var checkIds = await db.Checks.Where(c => c.TeamId == teamId).Select(c => c.Id).ToListAsync(Ct);
        foreach (var pc in await db.StatusPageChecks.AsNoTracking().Where(pc => pageIds.Contains(pc.StatusPageId) || checkIds.Contains(pc.CheckId))
                     .OrderBy(pc => pc.StatusPageId).ThenBy(pc => pc.CheckId).ToListAsync(Ct))
        {
            lines.Add($"placement page {pc.StatusPageId} check {pc.CheckId} at {pc.SortOrder}");
        }

        foreach (var i in await db.Incidents.AsNoTracking().Include(i => i.Components).Include(i => i.Updates).Where(i => i.TeamId == teamId).OrderBy(i => i.Id).ToListAsync(Ct))
        {
            lines.Add($"incident {i.Id} page {i.StatusPageId} {i.Title} {i.Status} {i.Impact} hidden={i.Hidden} created={i.CreatedAt:O} resolved={i.ResolvedAt:O} merged={i.MergedIntoId} " +
                      $"components=[{string.Join(", ", i.Components.OrderBy(c => c.CheckId).Select(c => $"{c.CheckId}:{c.Status}"))}] updates={i.Updates.Count}");
        }

        var incidentIds = await db.Incidents.Where(i => i.TeamId == teamId).Select(i => i.Id).ToListAsync(Ct);
        lines.Add($"incident components of its checks elsewhere {await db.IncidentComponents.CountAsync(c => checkIds.Contains(c.CheckId) && !incidentIds.Contains(c.IncidentId), Ct)}");
        foreach (var m in await db.Maintenances.AsNoTracking().Include(m => m.Components).Where(m => m.TeamId == teamId).OrderBy(m => m.Id).ToListAsync(Ct))
        {
            lines.Add($"maintenance {m.Id} page {m.StatusPageId} {m.Title} {m.Status} auto={m.AutoStartEnd} {m.StartsAt:O}–{m.EndsAt:O} {m.TimeZone} body={m.Body} " +
                      $"checks=[{string.Join(", ", m.Components.OrderBy(c => c.CheckId).Select(c => c.CheckId))}]");
        }

        foreach (var c in await db.NotificationChannels.AsNoTracking().Where(c => c.TeamId == teamId).OrderBy(c => c.Id).ToListAsync(Ct))
        {
            lines.Add($"channel {c.Id} {c.Name} {c.Kind} {c.Addresses} {c.Url} default={c.IsDefault} secret={c.ProtectedSecret?.Length} failing={c.FailingSince:O}");
        }

        foreach (var cc in await db.CheckChannels.AsNoTracking().Where(cc => checkIds.Contains(cc.CheckId) || db.NotificationChannels.Any(c => c.Id == cc.ChannelId && c.TeamId == teamId))
                     .OrderBy(cc => cc.CheckId).ThenBy(cc => cc.ChannelId).ToListAsync(Ct))
        {
            lines.Add($"check {cc.CheckId} alerts through {cc.ChannelId}");
        }

        lines.Add($"alert events {await db.AlertEvents.CountAsync(e => e.TeamId == teamId, Ct)}");
        lines.Add($"audit entries {await db.AuditEvents.CountAsync(e => e.TeamId == teamId, Ct)}");
        return lines;
    }

    /// <summary>The lines that differ between two snapshots, for a failure message.</summary>
    public static string Diff(IReadOnlyList<string> before, IReadOnlyList<string> after) =>
        string.Join("\n", before.Except(after).Select(l => "  - " + l).Concat(after.Except(before).Select(l => "  + " + l)));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    /// <summary>As the app stores an invitation token: SHA-256, lower-case hex.</summary>
    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();
}
