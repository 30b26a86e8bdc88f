using System.Net;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Watchtower.Probes;
using Watchtower.Testing;
using Watchtower.Web.Checks;

namespace Watchtower.Web.Tests.Owner;

/// <summary>
/// Whatever arrives in whatever field of the check form, of every kind, the answer is the form
/// again with messages (or a saved check) — never a 500. Found by fuzzing: junk in a checkbox
/// once crashed the page while it rendered the form back.
/// </summary>
public abstract class HostileInputTests(AppFixture fixture)
{
    /// <summary>Junk for every field. Binding and validation do not depend on the store, so the PostgreSQL run only sends what reaches the database differently.</summary>
    protected virtual IReadOnlyList<string> Junk { get; } =
    [
        "", "yes please", "99999999999999999999", "<script>alert(1)</script>😀", "nul\u0000byte", new string('x', 5000),
    ];

    /// <summary>Every field the form of a kind binds, by the name the browser posts: the shared ones and the kind's settings record's.</summary>
    private static string[] Fields(string kind)
    {
        var settings = typeof(CheckForm).GetProperty(kind)!.PropertyType;
        var shared = typeof(CheckForm).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && !typeof(IKindSettings).IsAssignableFrom(p.PropertyType))
            .Select(p => p.PropertyType == typeof(List<int>) ? $"Input.{p.Name}[0]" : $"Input.{p.Name}");
        var own = settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .SelectMany(p => p.PropertyType == typeof(List<Watchtower.Probes.Seo.SeoRuleSetting>)
                ? new[] { $"Input.{kind}.{p.Name}[0].Rule", $"Input.{kind}.{p.Name}[0].Severity" }
                : [$"Input.{kind}.{p.Name}"]);
        return [.. shared, .. own];
    }

    /// <summary>A valid form of the kind, which each junk value then spoils one field of.</summary>
    private static Dictionary<string, string> ValidForm(string kind) => new()
    {
        ["Input.Kind"] = kind, ["Input.Name"] = "Hostile", ["Input.IntervalSeconds"] = "60", ["Input.TimeoutSeconds"] = "10",
        ["Input.Tcp.Host"] = "mail.example.com", ["Input.Tcp.Port"] = "25", ["Input.Tcp.Service"] = "Smtp",
        ["Input.Ssl.Host"] = "mail.example.com", ["Input.Ssl.Port"] = "443", ["Input.Dns.Name"] = "example.com",
        ["Input.Http.Url"] = "https://www.example.com/", ["Input.Seo.Url"] = "https://www.example.com/",
    };

    public static TheoryData<string> Kinds() => new(Enum.GetNames<ProbeKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Junk_in_any_field_never_gives_a_500(string kind)
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var token = await owner.AntiforgeryTokenAsync($"/Checks/Create?kind={kind}");
        var failures = new List<string>();
        var fields = Fields(kind);
        Assert.True(fields.Length > 10, "every field of the kind is tried");
        foreach (var field in fields)
        {
            foreach (var junk in Junk)
            {
                var form = ValidForm(kind);
                form["__RequestVerificationToken"] = token;
                form[field] = junk;
                using var response = await owner.Http.PostAsync("/Checks/Create", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{field} = “{(junk.Length > 20 ? junk[..20] + "…" : junk)}”: {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    [Theory]
    [InlineData("Tcp", "Input.Tcp.StartTls")]
    [InlineData("Tcp", "Input.ShowTargetOnStatusPage")]
    [InlineData("Http", "Input.Http.VerifyTls")]
    [InlineData("Http", "Input.Http.FollowRedirects")]
    [InlineData("Http", "Input.Http.KeywordsAreRegex")]
    public async Task Junk_in_a_checkbox_is_a_message_next_to_it_and_nothing_is_saved(string kind, string field)
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var form = ValidForm(kind);
        form[field] = "yes please";

        var response = await owner.PostFormAsync($"/Checks/Create?kind={kind}", form);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Tick the box or leave it empty.", response.FieldError(field));
        await using var scope = app.CreateScope(out var db);
        Assert.False(await db.Checks.AnyAsync(c => db.TeamMembers.Any(m => m.TeamId == c.TeamId && m.User!.Email == owner.Email), TestContext.Current.CancellationToken));
    }
}

public sealed class HostileInputTests_Sqlite(SqliteAppFixture fixture) : HostileInputTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class HostileInputTests_Postgres(PostgresAppFixture fixture) : HostileInputTests(fixture), IClassFixture<PostgresAppFixture>
{
    // PostgreSQL refuses NUL in text and has its own length limits; the rest is the SQLite run's.
    protected override IReadOnlyList<string> Junk { get; } = ["nul\u0000byte", new string('x', 5000), "<script>alert(1)</script>😀"];
}
