using System.Globalization;
using System.Text.Encodings.Web;

namespace Watchtower.Web.Infrastructure.Outage;

/// <summary>
/// Answers a request that failed because the database is away with a plain 503 page and a
/// Retry-After, instead of the 500 the exception would become. The page is written here, not
/// re-executed through Razor: the layout and the team middleware would only ask the database again.
/// </summary>
public static class DatabaseOutagePage
{
    /// <summary>Seconds a client is asked to wait; a restart of PostgreSQL takes a few.</summary>
    public const int RetryAfterSeconds = 10;

    public const string Title = "We can't reach our database right now";

    public static IApplicationBuilder UseDatabaseOutagePage(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (DatabaseOutage.IsOutage(ex) && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseOutagePage));
                logger.LogWarning("{Method} {Path} answered 503: the database is not reachable ({Reason})",
                    context.Request.Method, context.Request.Path, Innermost(ex).Message);
                await WriteAsync(context);
            }
        });

    private static async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.Clear(); // whatever the failed request had set (cookies, a content type) does not belong to this answer
        SecurityHeaders.Apply(response);
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        response.ContentType = "text/html; charset=utf-8";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var root = HtmlEncoder.Default.Encode(context.Request.PathBase.Value ?? "");
        await response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <title>Temporarily unavailable · Watchtower</title>
                <link rel="stylesheet" href="{{root}}/css/site.css" />
            </head>
            <body>
                <main id="main">
                    <section class="narrow" id="database-outage">
                        <h1 id="error-title">{{Title}}</h1>
                        <p>Watchtower is running, but its database is not answering, so this request was not completed. This usually passes within a minute: try again shortly.</p>
                        <p><a href="{{root}}/">Go to the start page</a></p>
                    </section>
                </main>
            </body>
            </html>
            """, context.RequestAborted);
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
