using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.Checks;

namespace Watchtower.Web.Tests.Security;

/// <summary>Where a page stands: a team's things, the signed-in person's own account, or open to anyone.</summary>
internal enum RouteClass
{
    Team,
    Account,
    Public,
}

/// <summary>Who may use a handler: the decision someone made for it (written down in <see cref="RouteCatalog.Expected"/>).</summary>
internal enum Access
{
    /// <summary>Anyone, signed out too.</summary>
    Public,

    /// <summary>Signed in; acts on the person's own account only, whatever their teams and roles.</summary>
    OwnAccount,

    /// <summary>A team-folder page any signed-in person may use, in no team at all too (make or join a team).</summary>
    AnyoneSignedIn,

    Viewer,
    Editor,
    Owner,
}

/// <summary>The kind of object an id names.</summary>
internal enum ObjectKind
{
    Check,
    StatusPage,
    Invitation,
    Member,
    Team,
    Incident,
    Maintenance,
    Channel,
    Subscriber,
}

/// <summary>
/// A place in a request that carries an id: the route's <c>{id}</c>, a handler parameter, or a field of
/// a bound form. <see cref="Strict"/>: the id names the object the handler acts on, so another team's
/// (or a missing) one must answer 404. Otherwise the id is a choice inside a form of the member's own
/// object: another team's must be refused exactly as a missing one is, without success.
/// </summary>
internal sealed record IdSlot(string Name, ObjectKind Kind, bool Strict);

internal sealed record PageRoute(string Page, IReadOnlyList<string> Templates, Type Model, RouteClass Class, IReadOnlyList<PropertyInfo> BoundProperties)
{
    /// <summary>The template links use (Razor Pages gives an Index page two: "Teams/Index" and "Teams").</summary>
    public string Template => Templates.OrderBy(t => t.Length).ThenBy(t => t, StringComparer.Ordinal).First();

    /// <summary>The object the route's <c>{id}</c> names, by folder.</summary>
    public ObjectKind? RouteIdKind =>
        !Template.Contains("{id", StringComparison.Ordinal) ? null
        : Page.StartsWith("/Checks/", StringComparison.Ordinal) ? ObjectKind.Check
        : Page.StartsWith("/StatusPages/", StringComparison.Ordinal) ? ObjectKind.StatusPage
        : Page.StartsWith("/Incidents/", StringComparison.Ordinal) ? ObjectKind.Incident
        : Page.StartsWith("/Maintenance/", StringComparison.Ordinal) ? ObjectKind.Maintenance
        : Page.StartsWith("/Alerts/", StringComparison.Ordinal) ? ObjectKind.Channel
        : throw new InvalidOperationException($"{Page}: an {{id}} in a folder the suite does not know");
}

internal sealed record PageHandler(PageRoute Route, string Verb, string? Name, MethodInfo Method)
{
    public string Key => $"{Verb} {Route.Page}{(Name is null ? "" : "?handler=" + Name)}";

    public bool IsGet => Verb == "GET";

    /// <summary>The handler's own parameters (what it takes from route, query or form).</summary>
    public IEnumerable<ParameterInfo> Parameters => Method.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken));

    /// <summary>The page's bound properties this request binds (a GET binds only those that say SupportsGet).</summary>
    public IEnumerable<PropertyInfo> BoundProperties => IsGet ? Route.BoundProperties.Where(p => RouteCatalog.BindAttribute(p)?.SupportsGet == true) : Route.BoundProperties;

    public override string ToString() => Key;
}

/// <summary>
/// Every page route and handler of the running app, read from its endpoints (Razor page endpoints and
/// their page models by reflection), classified, and paired with the access someone decided for it.
/// A page or handler, an id-carrying parameter or a form field the suite does not know is a
/// <see cref="Problems"/> entry: the suite fails until someone decides what it should answer.
/// </summary>
internal sealed class RouteCatalog
{
    /// <summary>The folders whose pages work on a team's things (DESIGN.md, "The tenant is a team").</summary>
    private static readonly string[] TeamFolders = ["/Checks/", "/Alerts/", "/StatusPages/", "/Incidents/", "/Maintenance/", "/Teams/"];

    /// <summary>
    /// Endpoints that are not pages: known, and holding no owner data. The logo answers only as its
    /// page does (a members page's logo to its members only; a password page's also on its password form); the theme stylesheet is made from its
    /// address alone; the domain check says only whether a name is a verified custom domain.
    /// </summary>
    private static readonly string[] KnownNonPageEndpoints =
    [
        "health/live", "health/ready",
        Watchtower.Web.Branding.BrandingEndpoints.LogoRoute.Trim('/'),
        Watchtower.Web.Branding.BrandingEndpoints.ThemeRoute.Trim('/'),
        Watchtower.Web.Branding.BrandingEndpoints.DomainCheckRoute.Trim('/'),
        // A public page's feeds, badges, Statuspage API and widget (PublicApi/PublicEndpoints.cs): open to
        // anyone, showing only what the public page shows (PublicApiTests walks them signed out).
        "status/{slug}/feed.atom", "status/{slug}/feed.rss",
        "status/{slug}/badge.svg", "status/{slug}/uptime.svg",
        "status/{slug}/components/{checkId:int}/badge.svg", "status/{slug}/components/{checkId:int}/uptime.svg",
        "status/{slug}/api/v2/summary.json", "status/{slug}/api/v2/status.json", "status/{slug}/api/v2/components.json",
        "status/{slug}/api/v2/incidents.json", "status/{slug}/api/v2/incidents/unresolved.json",
        "status/{slug}/api/v2/scheduled-maintenances.json", "status/{slug}/api/v2/scheduled-maintenances/upcoming.json",
        "status/{slug}/api/v2/scheduled-maintenances/active.json",
        "status/{slug}/widget",
    ];

    /// <summary>
    /// The decision for every handler (DESIGN.md and TeamAccess.cs): viewers read the team's pages and
    /// change nothing; the forms that change checks and pages need an editor to open as well as to send;
    /// the team's members, invitations and settings and the audit log need an owner; anyone may leave or
    /// switch; making and joining a team needs only a sign-in.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Access> Expected = new Dictionary<string, Access>(StringComparer.Ordinal)
    {
        ["GET /Dashboard"] = Access.Viewer,

        ["GET /Checks/Create"] = Access.Editor,
        ["POST /Checks/Create"] = Access.Editor,
        ["POST /Checks/Create?handler=Kind"] = Access.Editor,
        ["POST /Checks/Create?handler=Test"] = Access.Editor,
        ["GET /Checks/Details"] = Access.Viewer,
        ["POST /Checks/Details?handler=Pause"] = Access.Editor,
        ["POST /Checks/Details?handler=Resume"] = Access.Editor,
        ["POST /Checks/Details?handler=Page"] = Access.Editor,
        ["GET /Checks/Edit"] = Access.Editor,
        ["POST /Checks/Edit"] = Access.Editor,
        ["POST /Checks/Edit?handler=Test"] = Access.Editor,
        ["GET /Checks/Delete"] = Access.Editor,
        ["POST /Checks/Delete"] = Access.Editor,

        ["GET /StatusPages/Create"] = Access.Editor,
        ["POST /StatusPages/Create"] = Access.Editor,
        ["GET /StatusPages/Edit"] = Access.Editor,
        ["POST /StatusPages/Edit"] = Access.Editor,
        ["POST /StatusPages/Edit?handler=Move"] = Access.Editor,
        ["GET /StatusPages/Branding"] = Access.Editor,
        ["POST /StatusPages/Branding"] = Access.Editor,
        ["GET /StatusPages/Domain"] = Access.Editor,
        ["POST /StatusPages/Domain"] = Access.Editor,
        ["POST /StatusPages/Domain?handler=Verify"] = Access.Editor,
        ["GET /StatusPages/Delete"] = Access.Editor,
        ["POST /StatusPages/Delete"] = Access.Editor,
        ["GET /StatusPages/Incidents"] = Access.Viewer,
        ["GET /StatusPages/Subscribers"] = Access.Viewer,
        ["GET /StatusPages/Subscribers?handler=Export"] = Access.Viewer,
        ["POST /StatusPages/Subscribers?handler=Remove"] = Access.Editor,

        // Incidents and maintenance: every member reads them; the forms and actions are an editor's.
        ["GET /Incidents/Create"] = Access.Editor,
        ["POST /Incidents/Create"] = Access.Editor,
        ["GET /Incidents/Details"] = Access.Viewer,
        ["POST /Incidents/Details"] = Access.Editor,
        ["POST /Incidents/Details?handler=Resolve"] = Access.Editor,
        ["POST /Incidents/Details?handler=Hidden"] = Access.Editor,
        ["POST /Incidents/Details?handler=Merge"] = Access.Editor,
        ["GET /Incidents/Edit"] = Access.Editor,
        ["POST /Incidents/Edit"] = Access.Editor,
        ["GET /Maintenance/Create"] = Access.Editor,
        ["POST /Maintenance/Create"] = Access.Editor,
        ["GET /Maintenance/Details"] = Access.Viewer,
        ["POST /Maintenance/Details?handler=Start"] = Access.Editor,
        ["POST /Maintenance/Details?handler=Complete"] = Access.Editor,
        ["POST /Maintenance/Details?handler=Cancel"] = Access.Editor,
        ["POST /Maintenance/Details?handler=StopRepeating"] = Access.Editor,
        ["GET /Maintenance/Edit"] = Access.Editor,
        ["POST /Maintenance/Edit"] = Access.Editor,

        // Alert channels: every member sees them and their delivery log; making, changing, testing and deleting is an editor's.
        ["GET /Alerts/Index"] = Access.Viewer,
        ["GET /Alerts/Create"] = Access.Editor,
        ["POST /Alerts/Create"] = Access.Editor,
        ["GET /Alerts/Details"] = Access.Viewer,
        ["POST /Alerts/Details?handler=Test"] = Access.Editor,
        ["POST /Alerts/Details?handler=Delete"] = Access.Editor,
        ["GET /Alerts/Edit"] = Access.Editor,
        ["POST /Alerts/Edit"] = Access.Editor,

        ["GET /Teams/Index"] = Access.Viewer,
        ["POST /Teams/Index?handler=Invite"] = Access.Owner,
        ["POST /Teams/Index?handler=Revoke"] = Access.Owner,
        ["POST /Teams/Index?handler=Role"] = Access.Owner,
        ["POST /Teams/Index?handler=Remove"] = Access.Owner,
        ["POST /Teams/Index?handler=Transfer"] = Access.Owner,
        ["POST /Teams/Index?handler=Leave"] = Access.Viewer,
        ["GET /Teams/Settings"] = Access.Owner,
        ["POST /Teams/Settings?handler=Rename"] = Access.Owner,
        ["POST /Teams/Settings?handler=TwoFactor"] = Access.Owner,
        ["POST /Teams/Settings?handler=Delete"] = Access.Owner,
        ["GET /Teams/Audit"] = Access.Owner,
        ["GET /Teams/Switch"] = Access.Viewer,
        ["POST /Teams/Switch"] = Access.Viewer,
        ["GET /Teams/Create"] = Access.AnyoneSignedIn,
        ["POST /Teams/Create"] = Access.AnyoneSignedIn,
        ["GET /Teams/Join"] = Access.AnyoneSignedIn,
        ["POST /Teams/Join"] = Access.AnyoneSignedIn,

        ["GET /Account/Manage/Index"] = Access.OwnAccount,
        ["POST /Account/Manage/Index?handler=SignOutEverywhere"] = Access.OwnAccount,
        ["POST /Account/Manage/Index?handler=Download"] = Access.OwnAccount,
        ["GET /Account/Manage/ChangePassword"] = Access.OwnAccount,
        ["POST /Account/Manage/ChangePassword"] = Access.OwnAccount,
        ["GET /Account/Manage/Delete"] = Access.OwnAccount,
        ["POST /Account/Manage/Delete"] = Access.OwnAccount,
        ["GET /Account/Manage/Email"] = Access.OwnAccount,
        ["POST /Account/Manage/Email"] = Access.OwnAccount,
        ["GET /Account/Manage/EnableAuthenticator"] = Access.OwnAccount,
        ["POST /Account/Manage/EnableAuthenticator"] = Access.OwnAccount,
        ["GET /Account/Manage/RecoveryCodes"] = Access.OwnAccount,
        ["GET /Account/Manage/ResendConfirmation"] = Access.OwnAccount,
        ["POST /Account/Manage/ResendConfirmation"] = Access.OwnAccount,
        ["GET /Account/Manage/TwoFactor"] = Access.OwnAccount,
        ["POST /Account/Manage/TwoFactor?handler=NewRecoveryCodes"] = Access.OwnAccount,
        ["POST /Account/Manage/TwoFactor?handler=Reset"] = Access.OwnAccount,
        ["POST /Account/Manage/TwoFactor?handler=Disable"] = Access.OwnAccount,

        // Signed out: sign-up, sign-in and the links in account emails (each guarded by its own token).
        ["GET /Account/CheckEmail"] = Access.Public,
        ["GET /Account/ConfirmEmail"] = Access.Public,
        ["GET /Account/ConfirmEmailChange"] = Access.Public,
        ["GET /Account/ForgotPassword"] = Access.Public,
        ["POST /Account/ForgotPassword"] = Access.Public,
        ["GET /Account/Login"] = Access.Public,
        ["POST /Account/Login"] = Access.Public,
        ["GET /Account/LoginWith2fa"] = Access.Public,
        ["POST /Account/LoginWith2fa"] = Access.Public,
        ["GET /Account/LoginWithRecoveryCode"] = Access.Public,
        ["POST /Account/LoginWithRecoveryCode"] = Access.Public,
        ["GET /Account/Logout"] = Access.Public,
        ["POST /Account/Logout"] = Access.Public,
        ["GET /Account/Register"] = Access.Public,
        ["POST /Account/Register"] = Access.Public,
        ["GET /Account/ResetPassword"] = Access.Public,
        ["POST /Account/ResetPassword"] = Access.Public,
        ["GET /Index"] = Access.Public,
        ["GET /Status/Page"] = Access.Public,
        ["GET /Status/History"] = Access.Public,
        ["GET /Status/Incident"] = Access.Public,
        ["GET /Status/Unlock"] = Access.Public,
        ["POST /Status/Unlock"] = Access.Public,
        // Subscribing (gated by the page's visibility), confirming and one-click unsubscribing (the token is the proof).
        ["GET /Status/Subscribe"] = Access.Public,
        ["POST /Status/Subscribe"] = Access.Public,
        ["GET /Status/Confirm"] = Access.Public,
        ["POST /Status/Confirm"] = Access.Public,
        ["GET /Status/Unsubscribe"] = Access.Public,
        ["POST /Status/Unsubscribe"] = Access.Public,
    };

    /// <summary>Handler parameters of team pages that carry an id, and what the id names.</summary>
    private static readonly Dictionary<string, IdSlot> IdParameters = new(StringComparer.Ordinal)
    {
        ["pageId"] = new("pageId", ObjectKind.StatusPage, Strict: true),
        ["invitationId"] = new("invitationId", ObjectKind.Invitation, Strict: true),
        ["userId"] = new("userId", ObjectKind.Member, Strict: true),
        ["teamId"] = new("teamId", ObjectKind.Team, Strict: true),
        // Merge into this incident: another team's (or none) is not found, like the incident itself.
        ["intoId"] = new("intoId", ObjectKind.Incident, Strict: true),
        // Remove this subscriber of the route's page: another team's (or none) is not found.
        ["subscriberId"] = new("subscriberId", ObjectKind.Subscriber, Strict: true),
        // The new-check form's "show on this page" pre-tick: a suggestion on an empty form, not an object acted on.
        ["page"] = new("page", ObjectKind.StatusPage, Strict: false),
        // "Move this row up/down" names a row of the posted form ("12:up"), not a stored object.
        ["move"] = new("move", ObjectKind.Check, Strict: false),
    };

    /// <summary>Handler parameters of team pages that carry no id (plain choices).</summary>
    private static readonly HashSet<string> PlainParameters = ["shown", "role", "required", "switchTo", "kind", "host", "port", "p", "hidden"];

    /// <summary>Bound form properties of team pages (by name and type), and the ids inside them.</summary>
    private static readonly Dictionary<(string, Type), IdSlot[]> BoundForms = new()
    {
        // The check form's "show on these pages" choice: another team's page is a field error, like a missing one.
        // ... and its "alert through these channels" choice: another team's channel is a field error too.
        [("Input", typeof(CheckForm))] = [new("Input.PageIds", ObjectKind.StatusPage, Strict: false), new("Input.ChannelIds", ObjectKind.Channel, Strict: false)],
        [("Input", typeof(Watchtower.Web.Alerts.ChannelInput))] = [],
        [("Input", typeof(Pages.StatusPages.PageInput))] = [],
        // The status page editor's rows: a forged row of another team's check is "not found", like the page itself.
        [("Choices", typeof(List<Pages.StatusPages.EditModel.CheckChoice>))] = [new("Choices.CheckId", ObjectKind.Check, Strict: true)],
        [("Invite", typeof(Pages.Teams.IndexModel.InviteInput))] = [],
        // The editor's group rows name groups by their row on the form (Choices[i].Group), not by a stored id.
        [("Groups", typeof(List<Pages.StatusPages.EditModel.GroupRow>))] = [],
        [("Input", typeof(Pages.StatusPages.BrandingModel.BrandingInput))] = [],
        [("Input", typeof(Pages.StatusPages.DomainModel.DomainInput))] = [],
        // The incident form's affected services and the maintenance form's services: another team's check is a field error, like a missing one.
        [("Input", typeof(Watchtower.Web.Incidents.IncidentInput))] = [new("Input.Components.CheckId", ObjectKind.Check, Strict: false)],
        [("Input", typeof(Watchtower.Web.Incidents.MaintenanceInput))] = [new("Input.CheckIds", ObjectKind.Check, Strict: false)],
        [("Update", typeof(Watchtower.Web.Incidents.UpdateInput))] = [],
        [("Name", typeof(string))] = [],
        // The dashboard's filters and paging (query strings of plain words and numbers, not ids).
        [("StateParameter", typeof(string))] = [],
        [("KindParameter", typeof(string))] = [],
        [("Search", typeof(string))] = [],
        [("PageParameter", typeof(string))] = [],
        [("ConfirmName", typeof(string))] = [],
        [("Token", typeof(string))] = [],
        // The dashboard's filter and pager (query strings): words and a page number, no ids.
        [("StateParameter", typeof(string))] = [],
        [("KindParameter", typeof(string))] = [],
        [("Search", typeof(string))] = [],
        [("PageParameter", typeof(string))] = [],
    };

    /// <summary>Fields inside bound form types that carry ids (found by name), each covered by a slot above.</summary>
    private static readonly HashSet<string> KnownIdFields = ["CheckForm.PageIds", "CheckForm.ChannelIds", "CheckChoice.CheckId", "ComponentChoice.CheckId", "MaintenanceInput.CheckIds"];

    /// <summary>Form fields named like ids that name no Watchtower object: a Telegram chat's id (a number or "@name" at Telegram).</summary>
    private static readonly HashSet<string> ForeignIdFields = ["ChannelInput.ChatId"];

    /// <summary>What the signed-in account pages take from the request: never an id of a person (the account is the signed-in one).</summary>
    private static readonly HashSet<string> AccountInputs = ["Input", "returnUrl"];

    private static readonly Regex HandlerName = new("^On(?<verb>Get|Post|Put|Delete|Patch|Head|Options)(?<name>.*?)(Async)?$", RegexOptions.CultureInvariant);

    private RouteCatalog(IReadOnlyList<PageRoute> routes, IReadOnlyList<PageHandler> handlers, IReadOnlyList<string> problems)
    {
        Routes = routes;
        Handlers = handlers;
        Problems = problems;
    }

    public IReadOnlyList<PageRoute> Routes { get; }

    public IReadOnlyList<PageHandler> Handlers { get; }

    /// <summary>What the suite does not know how to classify or fill; must be empty.</summary>
    public IReadOnlyList<string> Problems { get; }

    public IEnumerable<PageHandler> Of(RouteClass routeClass) => Handlers.Where(h => h.Route.Class == routeClass);

    public static Access AccessOf(PageHandler handler) => Expected[handler.Key];

    /// <summary>Whether a member with <paramref name="role"/> may use a team handler that needs <paramref name="access"/>.</summary>
    public static bool Allows(Access access, TeamRole role) => access switch
    {
        Access.AnyoneSignedIn => true,
        Access.Viewer => role >= TeamRole.Viewer,
        Access.Editor => role >= TeamRole.Editor,
        Access.Owner => role >= TeamRole.Owner,
        _ => throw new ArgumentOutOfRangeException(nameof(access), access, "not a team page's access"),
    };

    public static BindPropertyAttribute? BindAttribute(PropertyInfo property) =>
        property.GetCustomAttribute<BindPropertyAttribute>() ?? property.DeclaringType?.GetCustomAttribute<BindPropertiesAttribute>() switch
        {
            { SupportsGet: var get } => new BindPropertyAttribute { SupportsGet = get },
            null => null,
        };

    /// <summary>The places of a team handler's request that carry ids.</summary>
    public static IReadOnlyList<IdSlot> SlotsOf(PageHandler handler)
    {
        var slots = new List<IdSlot>();
        if (handler.Route.RouteIdKind is { } kind)
        {
            slots.Add(new IdSlot("id", kind, Strict: true));
        }

        slots.AddRange(handler.Parameters.Where(p => p.Name is not null && IdParameters.ContainsKey(p.Name)).Select(p => IdParameters[p.Name!]));
        slots.AddRange(handler.BoundProperties.SelectMany(p => BoundForms.TryGetValue((p.Name, p.PropertyType), out var inner) ? inner : []));
        return slots;
    }

    /// <summary>Reads the app's endpoints; a page endpoint's page model is loaded as the app itself loads it.</summary>
    public static async Task<RouteCatalog> DiscoverAsync(WatchtowerApp app)
    {
        var problems = new List<string>();
        var loader = app.Services.GetRequiredService<PageLoader>();
        var pages = new Dictionary<string, (PageActionDescriptor Descriptor, EndpointMetadataCollection Metadata, List<string> Templates)>(StringComparer.Ordinal);
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not { } descriptor)
            {
                var pattern = (endpoint as RouteEndpoint)?.RoutePattern.RawText?.Trim('/') ?? endpoint.DisplayName ?? "?";
                if (!KnownNonPageEndpoints.Contains(pattern, StringComparer.Ordinal))
                {
                    problems.Add($"endpoint '{pattern}' ({endpoint.DisplayName}) is not a page and not known to the suite: decide what it may show and to whom");
                }

                continue;
            }

            var template = descriptor.AttributeRouteInfo?.Template ?? "";
            if (!pages.TryGetValue(descriptor.ViewEnginePath, out var entry))
            {
                entry = (descriptor, endpoint.Metadata, []);
                pages[descriptor.ViewEnginePath] = entry;
            }

            entry.Templates.Add(template);
        }

        var routes = new List<PageRoute>();
        var handlers = new List<PageHandler>();
        foreach (var (path, (descriptor, metadata, templates)) in pages.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var routeClass = Classify(path);
            if (routeClass is null)
            {
                problems.Add($"{path}: a page in no folder the suite knows (team, account or public): decide who may use it");
            }

            var compiled = await loader.LoadAsync(descriptor, metadata);
            var model = compiled.ModelTypeInfo?.AsType();
            if (model is null || model.Assembly != typeof(Program).Assembly || !typeof(PageModel).IsAssignableFrom(model))
            {
                problems.Add($"{path}: no page model (PageModel of Watchtower.Web) whose handlers the suite can read");
                continue;
            }

            if (routeClass is null)
            {
                continue;
            }

            var bound = model.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => BindAttribute(p) is not null).ToList();
            var route = new PageRoute(path, templates, model, routeClass.Value, bound);
            routes.Add(route);

            foreach (var template in templates)
            {
                foreach (Match parameter in Regex.Matches(template, @"\{(?<name>[^}:?]+)"))
                {
                    var known = parameter.Groups["name"].Value switch
                    {
                        "id" => (route.Class == RouteClass.Team && route.RouteIdKind is not null) || route.Page == "/Status/Incident",
                        "slug" => route.Page.StartsWith("/Status/", StringComparison.Ordinal),
                        "code" => route.Page == "/Errors/Index",
                        _ => false,
                    };
                    if (!known)
                    {
                        problems.Add($"{path}: route parameter {{{parameter.Groups["name"].Value}}} in '{template}' that the suite cannot fill");
                    }
                }
            }

            // The page model's handlers by reflection, checked against what the framework itself selects from.
            var reflected = new List<PageHandler>();
            foreach (var method in model.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.DeclaringType == model))
            {
                var match = HandlerName.Match(method.Name);
                if (!match.Success || method.IsSpecialName)
                {
                    continue;
                }

                var verb = match.Groups["verb"].Value.ToUpperInvariant();
                if (verb is not ("GET" or "POST"))
                {
                    problems.Add($"{path}: handler {method.Name} answers {verb}, which the suite does not walk");
                    continue;
                }

                var name = match.Groups["name"].Value;
                reflected.Add(new PageHandler(route, verb, name.Length == 0 ? null : name, method));
            }

            var framework = compiled.HandlerMethods.Select(h => $"{h.HttpMethod.ToUpperInvariant()} {h.Name}").Order(StringComparer.Ordinal).ToList();
            var ours = reflected.Select(h => $"{h.Verb} {h.Name}").Order(StringComparer.Ordinal).ToList();
            if (!framework.SequenceEqual(ours))
            {
                problems.Add($"{path}: handlers by reflection [{string.Join(", ", ours)}] differ from the framework's [{string.Join(", ", framework)}]");
            }

            var frameworkBound = compiled.BoundProperties.Select(p => p.Name).Order(StringComparer.Ordinal);
            if (!frameworkBound.SequenceEqual(bound.Select(p => p.Name).Order(StringComparer.Ordinal)))
            {
                problems.Add($"{path}: bound properties by reflection differ from the framework's [{string.Join(", ", frameworkBound)}]");
            }

            handlers.AddRange(reflected);
        }

        foreach (var handler in handlers)
        {
            if (!Expected.TryGetValue(handler.Key, out var access))
            {
                problems.Add($"{handler.Key}: no expected access: add it to RouteCatalog.Expected (who may use it?)");
            }
            else if (!(handler.Route.Class switch
                     {
                         RouteClass.Team => access is Access.Viewer or Access.Editor or Access.Owner or Access.AnyoneSignedIn,
                         RouteClass.Account => access == Access.OwnAccount,
                         _ => access == Access.Public,
                     }))
            {
                problems.Add($"{handler.Key}: expected {access}, which does not fit a {handler.Route.Class} page");
            }

            problems.AddRange(handler.Route.Class switch
            {
                RouteClass.Team => UnknownTeamInputs(handler),
                RouteClass.Account => UnknownAccountInputs(handler),
                _ => [],
            });
        }

        var discovered = handlers.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(Expected.Keys.Where(k => !discovered.Contains(k)).Select(k => $"{k}: expected access written down for a handler the app does not have"));
        return new RouteCatalog(routes, handlers, problems.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Team folders; the signed-in account pages; and the rest that are open to anyone.</summary>
    private static RouteClass? Classify(string path) =>
        path == "/Dashboard" || TeamFolders.Any(f => path.StartsWith(f, StringComparison.Ordinal)) ? RouteClass.Team
        : path.StartsWith("/Account/Manage/", StringComparison.Ordinal) ? RouteClass.Account
        : path.StartsWith("/Account/", StringComparison.Ordinal) || path is "/Index" || path.StartsWith("/Status/", StringComparison.Ordinal) || path.StartsWith("/Errors/", StringComparison.Ordinal) ? RouteClass.Public
        : null;

    private static IEnumerable<string> UnknownTeamInputs(PageHandler handler)
    {
        foreach (var parameter in handler.Parameters)
        {
            var name = parameter.Name ?? "";
            var isRouteId = name == "id" && handler.Route.RouteIdKind is not null;
            if (!isRouteId && !IdParameters.ContainsKey(name) && !PlainParameters.Contains(name))
            {
                yield return $"{handler.Key}: parameter '{name}' ({parameter.ParameterType.Name}) the suite does not know: does it name an object (add an IdSlot) or not (PlainParameters)?";
            }
            else if (PlainParameters.Contains(name) && LooksLikeId(name))
            {
                yield return $"{handler.Key}: parameter '{name}' is listed as plain but looks like an id";
            }
        }

        foreach (var property in handler.Route.BoundProperties)
        {
            if (!BoundForms.ContainsKey((property.Name, property.PropertyType)))
            {
                yield return $"{handler.Key}: bound property {property.Name} ({property.PropertyType.Name}) the suite cannot fill";
                continue;
            }

            foreach (var field in IdFieldsOf(property.PropertyType, []))
            {
                if (!KnownIdFields.Contains(field) && !ForeignIdFields.Contains(field))
                {
                    yield return $"{handler.Key}: form field {field} looks like an id the suite does not try with another team's objects";
                }
            }
        }
    }

    private static IEnumerable<string> UnknownAccountInputs(PageHandler handler) =>
        handler.Parameters.Select(p => p.Name ?? "").Concat(handler.Route.BoundProperties.Select(p => p.Name))
            .Where(name => !AccountInputs.Contains(name))
            .Select(name => $"{handler.Key}: account page input '{name}' the suite does not know (an account page acts on the signed-in person; an id of another would be a hole)");

    private static bool LooksLikeId(string name) => name.EndsWith("id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("ids", StringComparison.OrdinalIgnoreCase);

    /// <summary>Properties named like ids inside the app's own form types ("CheckForm.PageIds").</summary>
    private static IEnumerable<string> IdFieldsOf(Type type, HashSet<Type> seen)
    {
        var element = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : type;
        if (element.Assembly.GetName().Name?.StartsWith("Watchtower.", StringComparison.Ordinal) != true || !seen.Add(element))
        {
            yield break;
        }

        foreach (var property in element.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (LooksLikeId(property.Name))
            {
                yield return $"{element.Name}.{property.Name}";
            }

            foreach (var inner in IdFieldsOf(property.PropertyType, seen))
            {
                yield return inner;
            }
        }
    }
}
