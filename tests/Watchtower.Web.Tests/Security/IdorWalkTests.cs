using System.Net;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using static Watchtower.Web.Tests.Security.SecurityWorld;

namespace Watchtower.Web.Tests.Security;

/// <summary>
/// An owner, an editor and a viewer of one team walk every handler of every team page the app has
/// (read from its endpoints, so a new page or handler is walked without anyone adding it) with the ids
/// of another team's things — in the route, the query and the forms — and with ids that do not exist.
/// Another team's id always gets the answer a missing id gets: 404 where the id names the object the
/// handler acts on (never 403, which would say it exists; never a success), the same refusal where it
/// is a choice inside the member's own form, and the role's 403 — the same for both — where the role
/// may not use the handler at all. After every request the other team is exactly as it was, and no
/// answer showed any of it. Account pages act on the signed-in person whatever ids a request carries.
/// </summary>
public abstract class IdorWalkTests(AppFixture fixture)
{
    [Fact]
    public async Task Members_of_another_team_in_every_role_get_404_on_every_team_route_and_form_and_change_nothing()
    {
        var app = await fixture.UseAsync();
        var catalog = await RouteCatalog.DiscoverAsync(app);
        Assert.True(catalog.Problems.Count == 0, "The suite cannot classify or fill:\n" + string.Join("\n", catalog.Problems));

        // Team A: the team whose things are tried. Its owner, a viewer, a check shown on a page, an open invitation.
        using var alice = await AddPersonAsync(app, "alice");
        using var aliceViewer = await AddPersonAsync(app, "alicev");
        var victim = await CreateTeamAsync(app, alice, TeamRole.Owner, alice, aliceViewer, NewMarker("victim"));
        var secrets = new[] { victim.Marker, alice.Email, aliceViewer.Email };
        var before = new Dictionary<int, List<string>>
        {
            [victim.TeamId] = await SnapshotAsync(app, victim.TeamId),
            [alice.PersonalTeamId] = await SnapshotAsync(app, alice.PersonalTeamId),
        };

        // Team B: a fresh one for every request (so no request depends on what the one before did), where Mallory has the role under test.
        using var mallory = await SignUpAsync(app);
        using var helper = await AddPersonAsync(app, "bowner");
        using var member = await AddPersonAsync(app, "bmember");
        int[] keep = [mallory.PersonalTeamId, helper.PersonalTeamId, member.PersonalTeamId, victim.TeamId, alice.PersonalTeamId];
        var failures = new List<string>();

        async Task<OwnerClient.Page> TryAsync(TeamRole role, Func<TeamIds, Probe> build)
        {
            var own = await CreateTeamAsync(app, mallory, role, helper, member, NewMarker("b"));
            var probe = build(own);
            var page = await SendAsync(mallory.Browser, probe);
            if (secrets.FirstOrDefault(s => page.Body.Contains(s, StringComparison.OrdinalIgnoreCase)) is { } shown)
            {
                failures.Add($"{role} {probe}: the answer shows team A's '{shown}'");
            }

            // Before team B goes: a placement of A's check on B's page would go with it.
            foreach (var (teamId, snapshot) in before.ToList())
            {
                var now = await SnapshotAsync(app, teamId);
                if (!snapshot.SequenceEqual(now))
                {
                    failures.Add($"{role} {probe}: changed team A:\n{Diff(snapshot, now)}");
                    before[teamId] = now;
                }
            }

            await RemoveTeamsAsync(app, [mallory, helper, member], keep);
            return page;
        }

        var foreignIds = new Dictionary<ObjectKind, string[]>
        {
            [ObjectKind.Check] = [victim.Of(ObjectKind.Check)],
            [ObjectKind.StatusPage] = [victim.Of(ObjectKind.StatusPage)],
            [ObjectKind.Invitation] = [victim.Of(ObjectKind.Invitation)],
            [ObjectKind.Incident] = [victim.Of(ObjectKind.Incident)],
            [ObjectKind.Maintenance] = [victim.Of(ObjectKind.Maintenance)],
            [ObjectKind.Channel] = [victim.Of(ObjectKind.Channel)],
            [ObjectKind.Subscriber] = [victim.Of(ObjectKind.Subscriber)],
            [ObjectKind.Member] = [aliceViewer.UserId, alice.UserId],
            [ObjectKind.Team] = [victim.Of(ObjectKind.Team), alice.PersonalTeamId.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        };

        foreach (var role in new[] { TeamRole.Owner, TeamRole.Editor, TeamRole.Viewer })
        {
            foreach (var handler in catalog.Of(RouteClass.Team))
            {
                // What the role gets for the member's own things: the handler runs, or 403 (the role matrix proves which).
                var allowed = RouteCatalog.Allows(RouteCatalog.AccessOf(handler), role);
                var slots = RouteCatalog.SlotsOf(handler);
                if (slots.Count == 0)
                {
                    // Nothing in the request names an object: it can only act on the member's own team.
                    var page = await TryAsync(role, own => Build(handler, own));
                    if (allowed ? NotRun(page) is not null : page.Status != HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{role} {handler.Key} (own team): {(int)page.Status} {page.Location}, expected {(allowed ? "it to run" : "403")}");
                    }

                    continue;
                }

                foreach (var slot in slots)
                {
                    var missing = await TryAsync(role, own => Build(handler, own, (slot, TeamIds.Missing(slot.Kind)), $"{slot.Name} = missing {slot.Kind}"));
                    var expected = !allowed ? HttpStatusCode.Forbidden : slot.Strict ? HttpStatusCode.NotFound : (HttpStatusCode?)null;
                    if (expected is { } status && missing.Status != status)
                    {
                        failures.Add($"{role} {handler.Key} [{slot.Name} = missing {slot.Kind}]: {(int)missing.Status}, expected {(int)status}");
                    }

                    foreach (var id in foreignIds[slot.Kind])
                    {
                        var what = $"{slot.Name} = team A's {slot.Kind} {id}";
                        var foreign = await TryAsync(role, own => Build(handler, own, (slot, id), what));
                        if (foreign.Status != missing.Status)
                        {
                            failures.Add($"{role} {handler.Key} [{what}]: {(int)foreign.Status} {foreign.Location}, but {(int)missing.Status} for a missing id: the answer tells them apart");
                        }
                        else if (expected is { } status2 && foreign.Status != status2)
                        {
                            failures.Add($"{role} {handler.Key} [{what}]: {(int)foreign.Status} {foreign.Location}, expected {(int)status2}");
                        }
                        else if ((allowed && foreign.Status is HttpStatusCode.Redirect or HttpStatusCode.Forbidden) || (int)foreign.Status >= 500)
                        {
                            failures.Add($"{role} {handler.Key} [{what}]: {(int)foreign.Status} {foreign.Location}, expected a refusal like a missing id's");
                        }
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} leaks:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Account_pages_act_on_the_signed_in_person_only_whatever_ids_the_request_carries()
    {
        var app = await fixture.UseAsync();
        var catalog = await RouteCatalog.DiscoverAsync(app);
        Assert.True(catalog.Problems.Count == 0, "The suite cannot classify or fill:\n" + string.Join("\n", catalog.Problems));
        using var alice = await SignUpAsync(app);
        using var carol = await SignUpAsync(app);
        var before = await AccountAsync(app, alice.UserId);
        var failures = new List<string>();

        // Reads first, then the changes; each with Alice's id and address planted wherever an id could be read from.
        var planted = $"userId={Uri.EscapeDataString(alice.UserId)}&id={Uri.EscapeDataString(alice.UserId)}&email={Uri.EscapeDataString(alice.Email)}";
        foreach (var handler in catalog.Of(RouteClass.Account).OrderBy(h => h.IsGet ? 0 : 1))
        {
            var url = "/" + handler.Route.Template + (handler.Name is null ? "?" : $"?handler={handler.Name}&") + planted;
            var form = new List<KeyValuePair<string, string>> { new("userId", alice.UserId), new("UserId", alice.UserId), new("Id", alice.UserId) };
            form.AddRange(handler.Parameters.Where(p => p.Name == "returnUrl").Select(_ => new KeyValuePair<string, string>("returnUrl", "/Account/Manage")));
            foreach (var input in handler.BoundProperties)
            {
                form.AddRange(input.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
                    .Select(p => new KeyValuePair<string, string>($"{input.Name}.{p.Name}", AccountField(p))));
            }

            var probe = new Probe(handler, url, form, "Alice's ids planted");
            var page = await SendAsync(carol.Browser, probe);
            if (page.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest || (int)page.Status >= 500)
            {
                failures.Add($"{probe}: {(int)page.Status}");
            }

            if (page.Body.Contains(alice.Email, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{probe}: the answer shows Alice's address");
            }
        }

        var after = await AccountAsync(app, alice.UserId);
        if (before != after)
        {
            failures.Add($"Alice's account changed:\n  - {before}\n  + {after}");
        }

        var aliceAccount = await alice.Browser.GetAsync("/Account/Manage");
        if (aliceAccount.Status != HttpStatusCode.OK || !aliceAccount.Body.Contains(alice.Email, StringComparison.Ordinal))
        {
            failures.Add($"Alice's session no longer opens her account page: {(int)aliceAccount.Status} {aliceAccount.Location}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} leaks:\n" + string.Join("\n", failures));
    }

    /// <summary>A wrong but well-formed value for an account form field: nothing is meant to succeed with it.</summary>
    private static string AccountField(PropertyInfo field) => field.PropertyType == typeof(bool) ? "false"
        : field.Name.Contains("Password", StringComparison.Ordinal) ? "not the password at all"
        : field.Name.Contains("Email", StringComparison.Ordinal) ? $"someone-{Guid.NewGuid():N}@example.com"
        : field.Name.Contains("Code", StringComparison.Ordinal) ? "000000"
        : "not confirmed";

    private static async Task<string> AccountAsync(WatchtowerApp app, string userId)
    {
        await using var scope = app.CreateScope(out var db);
        var u = await db.Users.AsNoTracking().SingleAsync(x => x.Id == userId, TestContext.Current.CancellationToken);
        var tokens = await db.UserTokens.AsNoTracking().Where(t => t.UserId == userId).OrderBy(t => t.Name).Select(t => t.Name + "=" + t.Value).ToListAsync(TestContext.Current.CancellationToken);
        return $"{u.Email} {u.NormalizedEmail} confirmed={u.EmailConfirmed} hash={u.PasswordHash} stamp={u.SecurityStamp} 2fa={u.TwoFactorEnabled} failed={u.AccessFailedCount} " +
               $"lockout={u.LockoutEnd:O} current={u.CurrentTeamId} tokens=[{string.Join(", ", tokens)}]";
    }
}

public sealed class IdorWalkTests_Sqlite(SqliteAppFixture fixture) : IdorWalkTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class IdorWalkTests_Postgres(PostgresAppFixture fixture) : IdorWalkTests(fixture), IClassFixture<PostgresAppFixture>;
