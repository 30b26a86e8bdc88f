using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using static Watchtower.Web.Tests.Security.SecurityWorld;

namespace Watchtower.Web.Tests.Security;

/// <summary>
/// A viewer, an editor and an owner of one team each walk every handler of every team page with
/// their own team's ids and plausible forms (a fresh team for every request): what the role allows
/// runs (a page or a redirect, no field messages), what it does not is 403 — the role's decision, not
/// a malformed request. A person in no team is sent to make one; a team that requires two-factor
/// sign-in sends members without it to turn it on.
/// </summary>
public sealed class RoleMatrixTests(SqliteAppFixture fixture) : IClassFixture<SqliteAppFixture>
{
    [Fact]
    public async Task Every_role_gets_the_documented_answer_on_every_team_route_and_form()
    {
        var app = await fixture.UseAsync();
        var catalog = await RouteCatalog.DiscoverAsync(app);
        Assert.True(catalog.Problems.Count == 0, "The suite cannot classify or fill:\n" + string.Join("\n", catalog.Problems));
        using var helper = await AddPersonAsync(app, "owner");
        using var member = await AddPersonAsync(app, "member");
        var failures = new List<string>();

        foreach (var role in new[] { TeamRole.Viewer, TeamRole.Editor, TeamRole.Owner })
        {
            using var actor = await SignUpAsync(app);
            foreach (var handler in catalog.Of(RouteClass.Team))
            {
                var own = await CreateTeamAsync(app, actor, role, helper, member, NewMarker("m"));
                var probe = Build(handler, own);
                var page = await SendAsync(actor.Browser, probe);
                var access = RouteCatalog.AccessOf(handler);
                var allowed = RouteCatalog.Allows(access, role);
                if (allowed && NotRun(page) is { } why)
                {
                    failures.Add($"{role} {probe}: allowed ({access}) but {why}");
                }
                else if (allowed && handler.IsGet && page.Status != HttpStatusCode.OK && handler.Key != "GET /Teams/Switch")
                {
                    // Reading a page shows it; only the team switcher's GET is a redirect (to the dashboard).
                    failures.Add($"{role} {probe}: allowed ({access}), expected 200, got {(int)page.Status} {page.Location}");
                }
                else if (!allowed && page.Status != HttpStatusCode.Forbidden)
                {
                    failures.Add($"{role} {probe}: needs {access}, expected 403, got {(int)page.Status} {page.Location}");
                }

                await RemoveTeamsAsync(app, [actor, helper, member], [actor.PersonalTeamId, helper.PersonalTeamId, member.PersonalTeamId]);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} wrong answers:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task A_person_who_left_their_only_team_is_sent_to_make_one_from_every_team_page()
    {
        var app = await fixture.UseAsync();
        var catalog = await RouteCatalog.DiscoverAsync(app);
        using var helper = await AddPersonAsync(app, "owner");
        using var member = await AddPersonAsync(app, "member");
        using var person = await SignUpAsync(app);

        // Their personal team gone, they are a viewer in one team only, and leave it.
        await RemoveTeamsAsync(app, [person], []);
        var only = await CreateTeamAsync(app, person, TeamRole.Viewer, helper, member, NewMarker("only"));
        var leave = await SendAsync(person.Browser, Build(catalog.Handlers.Single(h => h.Key == "POST /Teams/Index?handler=Leave"), only));
        Assert.Equal((HttpStatusCode.Redirect, "/Dashboard"), (leave.Status, leave.Location?.OriginalString));
        await using (var scope = app.CreateScope(out var db))
        {
            Assert.False(await db.TeamMembers.AnyAsync(m => m.UserId == person.UserId, TestContext.Current.CancellationToken));
        }

        var failures = new List<string>();
        foreach (var handler in catalog.Of(RouteClass.Team))
        {
            // Another team's ids in the request (the person is in none): the answer must not depend on them.
            var ids = await CreateTeamAsync(app, person, role: null, helper, member, NewMarker("n"));
            var probe = Build(handler, ids);
            var page = await SendAsync(person.Browser, probe);
            if (RouteCatalog.AccessOf(handler) == Access.AnyoneSignedIn)
            {
                if (NotRun(page) is { } why)
                {
                    failures.Add($"{probe}: open without a team, but {why}");
                }
            }
            else if (page.Status != HttpStatusCode.Redirect || LocationOf(page) != "/Teams/Create")
            {
                failures.Add($"{probe}: expected 302 to /Teams/Create, got {(int)page.Status} {page.Location}");
            }

            await RemoveTeamsAsync(app, [person, helper, member], [helper.PersonalTeamId, member.PersonalTeamId]);
        }

        failures.AddRange(await AccountPagesOpenAsync(catalog, person));
        Assert.True(failures.Count == 0, $"{failures.Count} wrong answers:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task A_team_that_requires_two_factor_sends_members_without_it_to_turn_it_on()
    {
        var app = await fixture.UseAsync();
        var catalog = await RouteCatalog.DiscoverAsync(app);
        using var helper = await AddPersonAsync(app, "owner");
        using var member = await AddPersonAsync(app, "member");
        using var person = await SignUpAsync(app);
        var failures = new List<string>();

        // Even an owner: the rule comes before the role.
        foreach (var handler in catalog.Of(RouteClass.Team))
        {
            var own = await CreateTeamAsync(app, person, TeamRole.Owner, helper, member, NewMarker("t"), requireTwoFactor: true);
            var probe = Build(handler, own);
            var page = await SendAsync(person.Browser, probe);
            if (RouteCatalog.AccessOf(handler) == Access.AnyoneSignedIn)
            {
                if (NotRun(page) is { } why)
                {
                    failures.Add($"{probe}: open without a team, but {why}");
                }
            }
            else if (page.Status != HttpStatusCode.Redirect || !LocationOf(page).StartsWith("/Account/Manage/TwoFactor?", StringComparison.Ordinal))
            {
                failures.Add($"{probe}: expected 302 to /Account/Manage/TwoFactor, got {(int)page.Status} {page.Location}");
            }

            await RemoveTeamsAsync(app, [person, helper, member], [person.PersonalTeamId, helper.PersonalTeamId, member.PersonalTeamId]);
        }

        failures.AddRange(await AccountPagesOpenAsync(catalog, person));

        // With two-factor sign-in on, the same member works in the team (the claim is read again on every request).
        var team = await CreateTeamAsync(app, person, TeamRole.Owner, helper, member, NewMarker("t"), requireTwoFactor: true);
        await using (var scope = app.CreateScope(out var db))
        {
            await db.Users.Where(u => u.Id == person.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, true), TestContext.Current.CancellationToken);
        }

        foreach (var handler in catalog.Of(RouteClass.Team).Where(h => h.IsGet))
        {
            var probe = Build(handler, team);
            if (NotRun(await SendAsync(person.Browser, probe)) is { } why)
            {
                failures.Add($"{probe} with two-factor on: {why}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} wrong answers:\n" + string.Join("\n", failures));
    }

    /// <summary>A person's own account pages open whatever state their teams are in (they are how one turns two-factor on).</summary>
    private static async Task<IEnumerable<string>> AccountPagesOpenAsync(RouteCatalog catalog, Person person)
    {
        var failures = new List<string>();
        foreach (var handler in catalog.Of(RouteClass.Account).Where(h => h.IsGet))
        {
            var probe = new Probe(handler, "/" + handler.Route.Template, [], "");
            var page = await SendAsync(person.Browser, probe);
            var location = LocationOf(page);
            if (page.Status is not (HttpStatusCode.OK or HttpStatusCode.Redirect)
                || location.StartsWith("/Account/Login", StringComparison.Ordinal) || location.StartsWith("/Teams/Create", StringComparison.Ordinal))
            {
                failures.Add($"{probe}: the person's own account page answered {(int)page.Status} {page.Location}");
            }
        }

        return failures;
    }
}
