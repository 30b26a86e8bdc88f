using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;

namespace Watchtower.EngineBench;

/// <summary>
/// Polls the Web host's public status page (anonymous) and the owner's dashboard (signed in as the
/// seeded owner) and counts the answers by status code; a request that gets no answer at all
/// (refused, reset, 30 s timeout) counts as "error". Redirects are not followed: a dashboard answer
/// of 302 means the session was lost.
/// </summary>
public sealed partial class WebPoller : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Page, string Code), int> counts = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, string Page, string Code)> failures = new();
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private readonly HttpClient anonymous;
    private readonly HttpClient owner;

    private WebPoller(Uri baseAddress)
    {
        anonymous = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        owner = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<WebPoller> StartAsync(Uri baseAddress, TimeSpan publicPoll, TimeSpan dashboardPoll, CancellationToken cancellationToken)
    {
        var poller = new WebPoller(baseAddress);
        await poller.SignInAsync(cancellationToken);
        foreach (var (page, client, every, parallel) in new[]
                 {
                     ($"/status/{Seeder.PageSlug}", poller.anonymous, publicPoll, 2),
                     ("/Dashboard", poller.owner, dashboardPoll, 1),
                 })
        {
            for (var i = 0; i < parallel; i++)
            {
                poller.loops.Add(Task.Run(() => poller.PollAsync(client, page, every), CancellationToken.None));
            }
        }

        return poller;
    }

    private async Task SignInAsync(CancellationToken cancellationToken)
    {
        var form = await owner.GetStringAsync(new Uri("/Account/Login", UriKind.Relative), cancellationToken);
        var token = AntiforgeryToken().Match(form) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The login page has no antiforgery token.");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = Seeder.OwnerEmail,
            ["Input.Password"] = Seeder.OwnerPassword,
            ["__RequestVerificationToken"] = token,
        });
        using var response = await owner.PostAsync(new Uri("/Account/Login", UriKind.Relative), body, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as the seeded owner failed: {(int)response.StatusCode}.");
        }

        using var dashboard = await owner.GetAsync(new Uri("/Dashboard", UriKind.Relative), cancellationToken);
        if (dashboard.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The dashboard answered {(int)dashboard.StatusCode} right after signing in.");
        }
    }

    private async Task PollAsync(HttpClient client, string page, TimeSpan every)
    {
        var uri = new Uri(page, UriKind.Relative);
        while (!stop.IsCancellationRequested)
        {
            string code;
            try
            {
                using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseContentRead, stop.Token);
                code = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                code = "error";
            }

            counts.AddOrUpdate((page, code), 1, (_, n) => n + 1);
            if (code is not ("200" or "304"))
            {
                failures.Enqueue((DateTimeOffset.UtcNow, page, code));
            }

            try
            {
                await Task.Delay(every, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>"status/bench: 200×812 500×3; Dashboard: 200×101".</summary>
    public string Summary() => string.Join("; ", counts.GroupBy(c => c.Key.Page).OrderBy(g => g.Key).Select(g =>
        $"{g.Key.TrimStart('/')}: " + string.Join(' ', g.OrderBy(c => c.Key.Code).Select(c => $"{c.Key.Code}×{c.Value}"))));

    /// <summary>Answers that were a 5xx or no answer at all.</summary>
    public int ServerErrors => counts.Where(c => c.Key.Code.StartsWith('5') || c.Key.Code == "error").Sum(c => c.Value);

    /// <summary>Anything but 200 (and 304).</summary>
    public IReadOnlyList<(DateTimeOffset At, string Page, string Code)> Failures => [.. failures];

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        anonymous.Dispose();
        owner.Dispose();
        stop.Dispose();
    }
}
