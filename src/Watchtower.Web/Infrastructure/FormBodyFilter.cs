using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// Reads a page's posted form just before the antiforgery check would, and turns a form that cannot
/// be read into a 400 that says why; a urlencoded form must also be well-formed UTF-8 (<see cref="UrlEncodedBody"/>). Left to antiforgery, a form over the limits (more than 1,024
/// fields, a key over 2 KB, a value over 4 MB) or a multipart body without a boundary is refused as
/// if its token were wrong, and the message says nothing of the real cause. Reading it here, after
/// routing and authorization, means a stranger's post to a signed-in page is still turned away before
/// its body is read, exactly as before.
/// </summary>
public sealed class FormBodyFilter : IAsyncAuthorizationFilter, IOrderedFilter
{
    /// <summary>Antiforgery's filter runs at 1000 ("after other authorization filters"); this runs just before it.</summary>
    public int Order => 900;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || http.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            return;
        }

        if (!request.HasFormContentType)
        {
            // A body of another kind: pages read forms only. No body at all is antiforgery's to refuse (no token).
            if (!string.IsNullOrEmpty(request.ContentType))
            {
                context.Result = RequestProblem.Result(http,
                    $"This page reads forms only, and this request was sent as {RequestProblem.Echo(request.ContentType)}. "
                    + "Send application/x-www-form-urlencoded or multipart/form-data.");
            }

            return;
        }

        var urlEncoded = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        if (urlEncoded)
        {
            // Kept (in memory, or a temporary file past 30 KB) to be read a second time below.
            request.EnableBuffering();
        }

        try
        {
            await request.ReadFormAsync(http.RequestAborted);
            if (urlEncoded)
            {
                request.Body.Position = 0;
                if (await UrlEncodedBody.ProblemAsync(request.Body, http.RequestAborted) is { } problem)
                {
                    context.Result = RequestProblem.Result(http, problem);
                }

                request.Body.Position = 0;
            }
        }
        catch (InvalidDataException ex)
        {
            // The framework's own words name the limit ("Form value count limit 1024 exceeded."); nothing of the body is in them.
            context.Result = RequestProblem.Result(http, $"This form could not be read: {ex.Message} Reload the page and send it again.");
        }
        catch (BadHttpRequestException ex)
        {
            context.Result = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? RequestProblem.Result(http, "This form is larger than Watchtower accepts.", StatusCodes.Status413PayloadTooLarge)
                : RequestProblem.Result(http, "This form arrived incomplete. Reload the page and send it again.");
        }
    }
}
