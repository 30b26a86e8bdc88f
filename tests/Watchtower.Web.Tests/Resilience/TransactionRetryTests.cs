using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Testing;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Resilience;

/// <summary>
/// The changes made of several steps in one transaction, on PostgreSQL with EF Core's retrying
/// strategy: a step that fails the way a restart makes it fail (a transient error, injected by
/// <see cref="CommandProbe"/>) rolls the whole unit back and runs it again — done once, never half,
/// never twice — and when the database stays away the request answers 503 with nothing changed.
/// </summary>
public sealed class TransactionRetryTests : IClassFixture<TransactionRetryTests.Fixture>
{
    private readonly Fixture fixture;

    public TransactionRetryTests(Fixture fixture) => this.fixture = fixture;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_a_team_that_meets_a_lost_connection_in_its_audit_entry_is_retried_whole_and_made_once()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var name = $"Ops {Guid.NewGuid():N}"[..20];
        var token = await owner.AntiforgeryTokenAsync("/Teams/Create");

        // The team row is written; the audit entry after it, in the same transaction, fails once.
        fixture.Probe.FailNext(sql => sql.Contains("INSERT INTO audit_events", StringComparison.Ordinal));
        var created = await PostAsync(owner, "/Teams/Create", new() { ["Name"] = name }, token);

        Assert.Equal(0, fixture.Probe.FailuresLeft);
        Assert.Equal(HttpStatusCode.Redirect, created);
        await using var scope = app.CreateScope(out var db);
        var team = await db.Teams.Where(t => t.Name == name).Select(t => new { t.Id, Members = t.Members.Count }).SingleAsync(Token);
        Assert.Equal(1, team.Members);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.TeamId == team.Id && e.Action == "team.created", Token));
        Assert.Equal(team.Id, await db.Users.Where(u => u.Email == owner.Email).Select(u => u.CurrentTeamId).SingleAsync(Token));
    }

    [Fact]
    public async Task A_team_the_database_never_lets_finish_answers_503_and_leaves_no_team_without_its_audit_entry()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var name = $"Ops {Guid.NewGuid():N}"[..20];
        var token = await owner.AntiforgeryTokenAsync("/Teams/Create");

        fixture.Probe.FailNext(sql => sql.Contains("INSERT INTO audit_events", StringComparison.Ordinal), times: 100);
        var created = await PostAsync(owner, "/Teams/Create", new() { ["Name"] = name }, token);
        fixture.Probe.FailNext(_ => false, 0);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, created);
        await using var scope = app.CreateScope(out var db);
        Assert.False(await db.Teams.AnyAsync(t => t.Name == name, Token));
        Assert.Equal(1, await db.TeamMembers.CountAsync(m => m.User!.Email == owner.Email, Token)); // the personal team only
    }

    [Fact]
    public async Task Deleting_an_account_that_meets_a_lost_connection_after_its_teams_went_is_retried_whole()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var checkId = await owner.CreateCheckAsync();
        var teamId = await TeamOfAsync(app, owner.Email);
        var token = await owner.AntiforgeryTokenAsync("/Account/Manage/Delete");

        fixture.Probe.FailNext(sql => sql.Contains("DELETE FROM \"AspNetUsers\"", StringComparison.Ordinal));
        var deleted = await PostAsync(owner, "/Account/Manage/Delete", DeleteForm, token);

        Assert.Equal(0, fixture.Probe.FailuresLeft);
        Assert.Equal(HttpStatusCode.Redirect, deleted);
        await using var scope = app.CreateScope(out var db);
        Assert.False(await db.Users.AnyAsync(u => u.Email == owner.Email, Token));
        Assert.False(await db.Teams.AnyAsync(t => t.Id == teamId, Token));
        Assert.False(await db.Checks.AnyAsync(c => c.Id == checkId, Token));
    }

    [Fact]
    public async Task An_account_deletion_the_database_never_lets_finish_answers_503_and_deletes_nothing()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var checkId = await owner.CreateCheckAsync();
        var teamId = await TeamOfAsync(app, owner.Email);
        var token = await owner.AntiforgeryTokenAsync("/Account/Manage/Delete");

        // Every attempt gets as far as deleting the account, after its teams, and fails there.
        fixture.Probe.FailNext(sql => sql.Contains("DELETE FROM \"AspNetUsers\"", StringComparison.Ordinal), times: 100);
        var deleted = await PostAsync(owner, "/Account/Manage/Delete", DeleteForm, token);
        var attempts = 100 - fixture.Probe.FailuresLeft;
        fixture.Probe.FailNext(_ => false, 0);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, deleted);
        Assert.Equal(4, attempts); // the first try and three retries (Watchtower:Database:MaxRetryCount)
        await using var scope = app.CreateScope(out var db);
        Assert.True(await db.Users.AnyAsync(u => u.Email == owner.Email, Token));
        Assert.True(await db.Teams.AnyAsync(t => t.Id == teamId, Token));
        Assert.True(await db.Checks.AnyAsync(c => c.Id == checkId, Token));
    }

    [Fact]
    public async Task Migrations_run_under_the_retrying_strategy_and_a_second_start_finds_nothing_to_do()
    {
        // The fixture's app started on an empty database, so it applied every migration under the strategy;
        // a second host on the same database starts too (EF Core's migration lock, nothing pending).
        var app = await fixture.UseAsync();
        await using var second = await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Postgres, PostgresConnectionString = app.PostgresConnectionString }, Token);
        await using var scope = second.CreateScope(out var db);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Token));
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync(Token));
    }

    private static Dictionary<string, string> DeleteForm => new() { ["Input.Password"] = OwnerClient.DefaultPassword, ["Input.Confirmation"] = "delete my account" };

    private static async Task<int> TeamOfAsync(WatchtowerApp app, string email)
    {
        await using var scope = app.CreateScope(out var db);
        return await db.TeamMembers.Where(m => m.User!.Email == email).Select(m => m.TeamId).SingleAsync(Token);
    }

    private static async Task<HttpStatusCode> PostAsync(OwnerClient owner, string url, Dictionary<string, string> fields, string token)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token });
        using var response = await owner.Http.PostAsync(new Uri(url, UriKind.Relative), content, Token);
        return response.StatusCode;
    }

    /// <summary>One app on PostgreSQL whose commands the tests can watch and break.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private WatchtowerApp? app;

        public CommandProbe Probe { get; } = new();

        public async Task<WatchtowerApp> UseAsync()
        {
            app ??= await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Postgres, ConfigureServices = Probe.Install }, Token);
            return app;
        }

        public ValueTask InitializeAsync() => ValueTask.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }
}
