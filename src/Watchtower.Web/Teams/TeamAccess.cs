using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Teams;

/// <summary>
/// The role a team page needs: <see cref="Read"/> to look (GET), <see cref="Write"/> to act (any
/// other method). On a page model it covers every handler; on a handler it overrides the page's.
/// Without it a team page is readable by every member and changeable by editors.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class TeamAccessAttribute : Attribute
{
    public TeamRole Read { get; init; } = TeamRole.Viewer;

    public TeamRole Write { get; init; } = TeamRole.Editor;
}

/// <summary>
/// Decides, before any handler of a team page runs, whether the member's role allows it — one rule
/// for every page, so a new page cannot forget it. Viewers see everything and change and run nothing
/// (403); a person in no team is sent to make one; a team that requires two-factor sign-in sends
/// members without it to turn it on.
/// </summary>
public sealed class TeamAccessFilter : IAsyncPageFilter
{
    /// <summary>The folders whose pages work on a team's things.</summary>
    private static readonly string[] TeamFolders = ["/Dashboard", "/Checks/", "/Alerts/", "/StatusPages/", "/Incidents/", "/Maintenance/", "/Teams/"];

    /// <summary>Team pages a person in no team (or without a required second factor) can still use.</summary>
    private static readonly string[] OpenWithoutTeam = ["/Teams/Create", "/Teams/Join"];

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var path = context.ActionDescriptor.ViewEnginePath;
        var team = context.HttpContext.Features.Get<TeamContext>();
        if (team is null || !IsTeamPage(path) || OpenWithoutTeam.Contains(path, StringComparer.Ordinal))
        {
            await next();
            return;
        }

        if (team.Current is not { } current)
        {
            context.Result = new RedirectToPageResult("/Teams/Create");
            return;
        }

        if (current.RequireTwoFactor && context.HttpContext.User.FindFirstValue(AccountClaims.TwoFactorEnabled) != "true")
        {
            context.Result = new RedirectToPageResult("/Account/Manage/TwoFactor", new { requiredBy = current.TeamName });
            return;
        }

        var needed = Needed(context);
        if (current.Role < needed)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }

        await next();
    }

    private static bool IsTeamPage(string path) => TeamFolders.Any(folder => folder.EndsWith('/') ? path.StartsWith(folder, StringComparison.Ordinal) : path == folder);

    private static TeamRole Needed(PageHandlerExecutingContext context)
    {
        var access = context.HandlerMethod?.MethodInfo.GetCustomAttributes(typeof(TeamAccessAttribute), false).OfType<TeamAccessAttribute>().FirstOrDefault()
            ?? context.HandlerInstance.GetType().GetCustomAttributes(typeof(TeamAccessAttribute), false).OfType<TeamAccessAttribute>().FirstOrDefault()
            ?? new TeamAccessAttribute();
        return HttpMethods.IsGet(context.HttpContext.Request.Method) || HttpMethods.IsHead(context.HttpContext.Request.Method) ? access.Read : access.Write;
    }
}

/// <summary>
/// A page for anyone, about no team of the reader's (the public status page): no team context is
/// loaded for it, which saves a signed-in reader's view a query that the page would not use.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PublicPageAttribute : Attribute;

public static class TeamContextMiddleware
{
    /// <summary>Loads the signed-in person's teams once per request (after authentication), for the scope, the filter and the layout.</summary>
    public static IApplicationBuilder UseTeamContext(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
                && context.GetEndpoint()?.Metadata.GetMetadata<PublicPageAttribute>() is null)
            {
                var db = context.RequestServices.GetRequiredService<WatchtowerDbContext>();
                context.Features.Set(await TeamContext.LoadAsync(db, userId, context.RequestAborted));
            }

            await next(context);
        });
}
