using System.Net;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Login_posts_beyond_the_limit_answer_429_but_pages_still_load()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions { AuthPostsPerMinute = 3 }, TestContext.Current.CancellationToken);
        using var client = new OwnerClient(app);
        var form = new Dictionary<string, string> { ["Input.Email"] = "nobody@example.com", ["Input.Password"] = "wrong password!" };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.PostFormAsync("/Account/Login", form)).Status);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], statuses);
        var register = await client.PostFormAsync("/Account/Register", new() { ["Input.Email"] = "x@example.com" });
        Assert.Equal((HttpStatusCode)429, register.Status);
        Assert.Contains("Too many attempts", register.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).Status);
    }
}
