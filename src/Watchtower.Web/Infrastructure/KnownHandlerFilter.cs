using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// A post, put or delete that names no action of the page (<c>?handler=Nope</c>), or names none on a
/// page without a plain OnPost, is a 400 that says so. Razor Pages would otherwise render the page
/// with no handler run — a page whose model was never loaded, so a 500 — or, on a page that has a
/// plain OnPost, quietly run that instead of what was asked. GET keeps Razor's leniency: an unknown
/// handler there falls back to OnGet, which changes nothing.
/// </summary>
public sealed class KnownHandlerFilter : IPageFilter, IOrderedFilter
{
    /// <summary>Before the role check: an action that does not exist is a bad request for every member.</summary>
    public int Order => -1000;

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || http.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            return;
        }

        // Where Razor Pages reads the name from: the route's {handler} first, then the query string.
        var asked = context.RouteData.Values.TryGetValue("handler", out var value) ? value?.ToString() : http.Request.Query["handler"].FirstOrDefault();
        var chosen = context.HandlerMethod;
        if (chosen is not null && (string.IsNullOrEmpty(asked) || string.Equals(asked, chosen.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        context.Result = RequestProblem.Result(http, string.IsNullOrEmpty(asked)
            ? "This page has no action for a form sent without one. Reload the page and use its buttons."
            : $"This page has no action “{RequestProblem.Echo(asked)}”. Reload the page and use its buttons.");
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
