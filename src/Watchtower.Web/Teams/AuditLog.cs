using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Teams;

/// <summary>
/// Writes who did what in a team into the caller's unit of work, so an audit entry is saved with
/// (and only with) the change it describes. Owners read it on the team's audit page; it is kept a year.
/// </summary>
public sealed class AuditLog(TeamScope scope, IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>A year; older entries are deleted by the daily retention job.</summary>
    public static readonly TimeSpan KeptFor = AuditEvent.KeptFor;

    /// <summary>Records an action in the current team.</summary>
    public void Record(string action, string target, string? details = null) => Record(scope.TeamId, action, target, details);

    /// <summary>Records an action in a given team (sign-ins go to every team of the person).</summary>
    public void Record(int teamId, string action, string target, string? details = null)
    {
        var context = http.HttpContext;
        var user = context?.User;
        scope.Db.AuditEvents.Add(new AuditEvent
        {
            TeamId = teamId,
            At = time.GetUtcNow(),
            ActorUserId = user?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value,
            Actor = Cap(user?.Identity?.Name ?? "Watchtower", 256),
            Action = Cap(action, AuditEvent.ActionMaxLength),
            Target = Cap(target, AuditEvent.TextMaxLength),
            Details = details is null ? null : Cap(details, AuditEvent.TextMaxLength),
            ClientAddress = context?.Connection.RemoteIpAddress?.ToString(),
        });
    }

    /// <summary>"check “Mail server” (#12)".</summary>
    public static string Describe(string what, string name, int id) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} “{name}” (#{id})");

    private static string Cap(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
