using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Teams;

/// <summary>A team as its people use it: a personal team at sign-up, invitations by email, roles, switching, leaving, the rules that keep a team owned.</summary>
public abstract class TeamTests(AppFixture fixture)
{
    private static Dictionary<string, string> Invite(string email, string role) => new() { ["Invite.Email"] = email, ["Invite.Role"] = role };

    /// <summary>Invites <paramref name="email"/> from <paramref name="owner"/>'s current team and returns the link from the email.</summary>
    private static async Task<string> InviteAsync(WatchtowerApp app, OwnerClient owner, string email, string role = "Editor")
    {
        var sent = await owner.PostFormAsync("/Teams/Index?handler=Invite", Invite(email, role), formPage: "/Teams/Index");
        Assert.True(sent.Status == HttpStatusCode.Redirect, $"invitation not sent: {sent.Text(".field-error, .errors")}");
        var message = await app.Mailbox.WaitForAsync(email, "invited you");
        return Mailbox.Link(message, "/Teams/Join");
    }

    private static async Task<OwnerClient.Page> JoinAsync(OwnerClient person, string link)
    {
        var page = await person.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var token = page.Document.QuerySelector("input[name=Token]")?.GetAttribute("value") ?? new Uri("http://x" + link).Query.Split("token=")[1];
        return await person.PostFormAsync("/Teams/Join", new() { ["Token"] = token }, formPage: link);
    }

    [Fact]
    public async Task Sign_up_makes_a_personal_team_its_owner_works_in()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();

        var dashboard = await owner.GetAsync("/Dashboard");
        var members = await owner.GetAsync("/Teams/Index");

        var local = owner.Email.Split('@')[0];
        Assert.Equal($"{local}’s team", dashboard.Text("#nav-team"));
        Assert.Contains(owner.Email, members.Text("#members-table"), StringComparison.Ordinal);
        Assert.Contains("owner", members.Text("#members-table"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invited_colleague_joins_once_with_the_invited_address_and_sees_the_teams_checks()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Team mail"));
        var colleagueEmail = OwnerClient.NewEmail();
        var link = await InviteAsync(app, owner, colleagueEmail, "Editor");
        using var stranger = await new OwnerClient(app).RegisterAsync();
        using var colleague = await new OwnerClient(app).RegisterAsync(colleagueEmail);

        var wrongPerson = await JoinAsync(stranger, link);
        var joined = await JoinAsync(colleague, link);
        var again = await JoinAsync(colleague, link);

        Assert.Contains("sent to another address", wrongPerson.Text("#join-problem"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, joined.Status);
        Assert.Contains("used already", again.Text("#join-problem"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync($"/Checks/{check}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/Checks/{check}")).Status);
        // An editor changes checks, but not the team.
        Assert.Equal(HttpStatusCode.Redirect, (await colleague.PostFormAsync($"/Checks/{check}?handler=Pause", [], formPage: $"/Checks/{check}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.PostFormAsync("/Teams/Index?handler=Invite", Invite(OwnerClient.NewEmail(), "Viewer"), formPage: "/Teams/Index")).Status);
    }

    [Fact]
    public async Task An_unconfirmed_address_cannot_take_an_invitation()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var email = OwnerClient.NewEmail();
        var link = await InviteAsync(app, owner, email);
        using var unconfirmed = await new OwnerClient(app).RegisterAsync(email, confirm: false);

        var refused = await JoinAsync(unconfirmed, link);

        Assert.Contains("Confirm your email address first", refused.Text("#join-problem"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_or_revoked_invitation_does_not_work()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var expiredEmail = OwnerClient.NewEmail();
        var revokedEmail = OwnerClient.NewEmail();
        var expiredLink = await InviteAsync(app, owner, expiredEmail);
        var revokedLink = await InviteAsync(app, owner, revokedEmail);
        await using (var scope = app.CreateScope(out var db))
        {
            var invitation = await db.TeamInvitations.SingleAsync(i => i.Email == expiredEmail, TestContext.Current.CancellationToken);
            invitation.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1); // seven days have passed
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var members = await owner.GetAsync("/Teams/Index");
        var revokeId = await RevokeIdAsync(app, revokedEmail);
        var revoked = await owner.PostFormAsync("/Teams/Index?handler=Revoke", new() { ["invitationId"] = revokeId }, formPage: "/Teams/Index");
        using var late = await new OwnerClient(app).RegisterAsync(expiredEmail);
        using var dropped = await new OwnerClient(app).RegisterAsync(revokedEmail);

        Assert.DoesNotContain(expiredEmail, members.Text("#invitations"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, revoked.Status);
        Assert.Contains("expired", (await late.GetAsync(expiredLink)).Text("#join-problem"), StringComparison.Ordinal);
        Assert.Contains("not valid", (await dropped.GetAsync(revokedLink)).Text("#join-problem"), StringComparison.Ordinal);
        Assert.Contains("expired", (await JoinAsync(late, expiredLink)).Text("#join-problem"), StringComparison.Ordinal);
        // Each is only in the personal team sign-up gave them, not in the owner's.
        await using var check = app.CreateScope(out var after);
        var ownersTeam = await after.TeamMembers.Where(m => m.User!.Email == owner.Email).Select(m => m.TeamId).SingleAsync(TestContext.Current.CancellationToken);
        Assert.False(await after.TeamMembers.AnyAsync(m => m.TeamId == ownersTeam && (m.User!.Email == expiredEmail || m.User!.Email == revokedEmail), TestContext.Current.CancellationToken));
    }

    private static async Task<string> RevokeIdAsync(WatchtowerApp app, string email)
    {
        await using var scope = app.CreateScope(out var db);
        return (await db.TeamInvitations.SingleAsync(i => i.Email == email, TestContext.Current.CancellationToken)).Id.ToString(CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_viewer_sees_everything_and_changes_nothing()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Viewed"));
        var email = OwnerClient.NewEmail();
        var link = await InviteAsync(app, owner, email, "Viewer");
        using var viewer = await new OwnerClient(app).RegisterAsync(email);
        await JoinAsync(viewer, link);

        var details = await viewer.GetAsync($"/Checks/{check}");
        var dashboard = await viewer.GetAsync("/Dashboard");

        Assert.Equal(HttpStatusCode.OK, details.Status);
        Assert.Null(details.Document.QuerySelector("#check-edit"));
        Assert.Null(dashboard.Document.QuerySelector("#new-check"));
        Assert.Contains("Viewed", dashboard.Text("#checks-table"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/Checks/{check}/Edit")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/Checks/Create")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostFormAsync($"/Checks/{check}?handler=Pause", [], formPage: $"/Checks/{check}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostFormAsync("/Checks/Create?handler=Test", OwnerSteps.CheckForm(), formPage: "/Dashboard")).Status);
        await using var scope = app.CreateScope(out var db);
        Assert.True((await db.Checks.SingleAsync(c => c.Id == check, TestContext.Current.CancellationToken)).Enabled);
    }

    [Fact]
    public async Task Roles_change_and_the_team_always_keeps_an_owner()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var email = OwnerClient.NewEmail();
        var link = await InviteAsync(app, owner, email, "Viewer");
        using var colleague = await new OwnerClient(app).RegisterAsync(email);
        await JoinAsync(colleague, link);
        var (ownerId, colleagueId) = await IdsAsync(app, owner.Email, email);

        var lastOwnerLeaves = await owner.PostFormAsync("/Teams/Index?handler=Leave", [], formPage: "/Teams/Index");
        var lastOwnerDemoted = await owner.PostFormAsync("/Teams/Index?handler=Role", new() { ["userId"] = ownerId, ["role"] = "Editor" }, formPage: "/Teams/Index");
        var promoted = await owner.PostFormAsync("/Teams/Index?handler=Role", new() { ["userId"] = colleagueId, ["role"] = "Editor" }, formPage: "/Teams/Index");
        var transferred = await owner.PostFormAsync("/Teams/Index?handler=Transfer", new() { ["userId"] = colleagueId }, formPage: "/Teams/Index");
        var formerOwnerLeaves = await owner.PostFormAsync("/Teams/Index?handler=Leave", [], formPage: "/Teams/Index");

        Assert.Equal(HttpStatusCode.Redirect, lastOwnerLeaves.Status);
        Assert.Equal(HttpStatusCode.Redirect, formerOwnerLeaves.Status);
        await using var scope = app.CreateScope(out var db);
        var teamId = await db.TeamMembers.Where(m => m.UserId == colleagueId && m.Team!.CreatedByUserId == ownerId).Select(m => m.TeamId).SingleAsync(TestContext.Current.CancellationToken);
        var members = await db.TeamMembers.Where(m => m.TeamId == teamId).ToDictionaryAsync(m => m.UserId, m => m.Role, TestContext.Current.CancellationToken);
        Assert.Equal(new Dictionary<string, TeamRole> { [colleagueId] = TeamRole.Owner }, members);
        Assert.Equal(HttpStatusCode.Redirect, lastOwnerDemoted.Status);
        Assert.Equal(HttpStatusCode.Redirect, promoted.Status);
        Assert.Equal(HttpStatusCode.Redirect, transferred.Status);
        var log = await db.AuditEvents.Where(e => e.TeamId == teamId).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["member.invited", "member.joined", "member.role-changed", "team.ownership-transferred", "member.left"], log.Where(a => a.StartsWith("member.", StringComparison.Ordinal) || a.StartsWith("team.ownership", StringComparison.Ordinal)));
    }

    private static async Task<(string Owner, string Colleague)> IdsAsync(WatchtowerApp app, string ownerEmail, string colleagueEmail)
    {
        await using var scope = app.CreateScope(out var db);
        var ids = await db.Users.Where(u => u.Email == ownerEmail || u.Email == colleagueEmail).ToDictionaryAsync(u => u.Email!, u => u.Id, TestContext.Current.CancellationToken);
        return (ids[ownerEmail], ids[colleagueEmail]);
    }

    [Fact]
    public async Task A_person_in_two_teams_switches_between_them_and_sees_each_ones_checks()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var inPersonal = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Personal mail"));
        var created = await owner.PostFormAsync("/Teams/Create", new() { ["Name"] = "Acme Operations" }, formPage: "/Teams/Create");
        var inAcme = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Acme mail"));
        int personalTeam;
        await using (var scope = app.CreateScope(out var db))
        {
            personalTeam = await db.Checks.Where(c => c.Id == inPersonal).Select(c => c.TeamId).SingleAsync(TestContext.Current.CancellationToken);
        }

        var acmeDashboard = await owner.GetAsync("/Dashboard");
        var switched = await owner.PostFormAsync("/Teams/Switch", new() { ["teamId"] = personalTeam.ToString(CultureInfo.InvariantCulture) }, formPage: "/Dashboard");
        var personalDashboard = await owner.GetAsync("/Dashboard");

        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        Assert.Equal("Acme Operations", acmeDashboard.Text("#nav-team"));
        Assert.Contains("Acme mail", acmeDashboard.Text("#checks-table"), StringComparison.Ordinal);
        Assert.DoesNotContain("Personal mail", acmeDashboard.Text("#checks-table"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, switched.Status);
        Assert.Contains("Personal mail", personalDashboard.Text("#checks-table"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/Checks/{inAcme}")).Status); // the other team's: not found from here
        Assert.Equal(2, personalDashboard.Document.QuerySelectorAll("#team-switch-select option").Length);
    }

    [Fact]
    public async Task A_team_that_requires_two_factor_sends_members_without_it_to_turn_it_on()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var email = OwnerClient.NewEmail();
        var link = await InviteAsync(app, owner, email, "Editor");
        using var member = await new OwnerClient(app).RegisterAsync(email);
        await JoinAsync(member, link);

        var refused = await owner.PostFormAsync("/Teams/Settings?handler=TwoFactor", new() { ["required"] = "true" }, formPage: "/Teams/Settings");
        await using (var scope = app.CreateScope(out var db))
        {
            // The owner turned two-factor on (the account pages are tested on their own).
            var me = await db.Users.SingleAsync(u => u.Email == owner.Email, TestContext.Current.CancellationToken);
            me.TwoFactorEnabled = true;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var required = await owner.PostFormAsync("/Teams/Settings?handler=TwoFactor", new() { ["required"] = "true" }, formPage: "/Teams/Settings");
        var memberDashboard = await member.GetAsync("/Dashboard");
        var memberAccount = await member.GetAsync("/Account/Manage");

        Assert.Contains("Turn on two-factor sign-in for your own account first", refused.Text(".errors"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, required.Status);
        Assert.Equal(HttpStatusCode.Redirect, memberDashboard.Status);
        Assert.StartsWith("/Account/Manage/TwoFactor", memberDashboard.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, memberAccount.Status);
    }

    [Fact]
    public async Task Deleting_a_team_takes_its_pages_and_checks_after_the_owner_types_its_name()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        await owner.PostFormAsync("/Teams/Create", new() { ["Name"] = "Short lived" }, formPage: "/Teams/Create");
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Doomed"));
        var page = await owner.CreatePageAsync("Doomed page");

        var mistyped = await owner.PostFormAsync("/Teams/Settings?handler=Delete", new() { ["ConfirmName"] = "short lived" }, formPage: "/Teams/Settings");
        var deleted = await owner.PostFormAsync("/Teams/Settings?handler=Delete", new() { ["ConfirmName"] = "Short lived" }, formPage: "/Teams/Settings");

        Assert.Contains("Type the team's name", mistyped.FieldError("ConfirmName"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.Status);
        await using var scope = app.CreateScope(out var db);
        Assert.False(await db.Checks.AnyAsync(c => c.Id == check, TestContext.Current.CancellationToken));
        Assert.False(await db.StatusPages.AnyAsync(p => p.Id == page, TestContext.Current.CancellationToken));
        Assert.False(await db.Teams.AnyAsync(t => t.Name == "Short lived", TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/Dashboard")).Status); // back in the personal team
    }

    [Fact]
    public async Task The_audit_log_shows_owners_who_did_what()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Audited"));
        await owner.PostFormAsync($"/Checks/{check}?handler=Pause", [], formPage: $"/Checks/{check}");
        await owner.PostFormAsync($"/Checks/{check}/Delete", []);

        var log = await owner.GetAsync("/Teams/Audit");

        var actions = log.Document.QuerySelectorAll("#audit-table tbody tr").Select(r => r.GetAttribute("data-action")).ToList();
        Assert.Equal(["check.deleted", "check.paused", "check.created", "user.signed-in"], actions.Take(4));
        Assert.Contains(owner.Email, log.Text("#audit-table"), StringComparison.Ordinal);
        Assert.Contains("“Audited”", log.Text("#audit-table"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quotas_stop_a_team_at_the_operators_limits()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?> { ["Watchtower:Quotas:ChecksPerTeam"] = "2", ["Watchtower:Quotas:PagesPerTeam"] = "1" },
        }, TestContext.Current.CancellationToken);
        using var owner = await new OwnerClient(app).RegisterAsync();
        await owner.CreateCheckAsync(OwnerSteps.CheckForm("One"));
        await owner.CreateCheckAsync(OwnerSteps.CheckForm("Two"));
        await owner.CreatePageAsync("Only page");

        var third = await owner.PostFormAsync("/Checks/Create", OwnerSteps.CheckForm("Three"));
        var secondPage = await owner.PostFormAsync("/StatusPages/Create", new() { ["Input.Name"] = "Second", ["Input.Slug"] = OwnerSteps.UniqueSlug() });

        Assert.Contains("the most this instance allows (2)", third.Text(".errors"), StringComparison.Ordinal);
        Assert.Contains("the most this instance allows (1)", secondPage.Text(".errors"), StringComparison.Ordinal);
        await using var scope = app.CreateScope(out var db);
        Assert.Equal(2, await db.Checks.CountAsync(TestContext.Current.CancellationToken));
    }
}

public sealed class TeamTests_Sqlite(SqliteAppFixture fixture) : TeamTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class TeamTests_Postgres(PostgresAppFixture fixture) : TeamTests(fixture), IClassFixture<PostgresAppFixture>;
