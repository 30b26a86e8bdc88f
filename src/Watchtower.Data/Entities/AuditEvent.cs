namespace Watchtower.Data.Entities;

/// <summary>Who did what in a team, and when: sign-ins, members and roles, pages, checks. Kept a year.</summary>
public sealed class AuditEvent
{
    public const int ActionMaxLength = 48;
    public const int TextMaxLength = 300;

    /// <summary>How long an entry is kept; a daily job deletes older ones (Watchtower.Monitoring's AuditRetention).</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(365);

    public long Id { get; set; }
    public int TeamId { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The person, while their account exists (null once deleted, or for the system).</summary>
    public string? ActorUserId { get; set; }

    /// <summary>The person's address when it happened: the record outlives the account.</summary>
    public required string Actor { get; set; }

    /// <summary>"check.created", "member.role-changed", "user.signed-in".</summary>
    public required string Action { get; set; }

    /// <summary>What it was done to, in words: "check “Mail server” (#12)".</summary>
    public required string Target { get; set; }

    public string? Details { get; set; }

    /// <summary>The client address the request came from (after trusted proxies).</summary>
    public string? ClientAddress { get; set; }
}
