namespace Watchtower.Data.Entities;

/// <summary>A person in a team, with their role.</summary>
public sealed class TeamMember
{
    public int TeamId { get; set; }
    public Team? Team { get; set; }
    public required string UserId { get; set; }
    public WatchtowerUser? User { get; set; }
    public TeamRole Role { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
}
