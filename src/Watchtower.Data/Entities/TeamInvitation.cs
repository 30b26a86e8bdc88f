namespace Watchtower.Data.Entities;

/// <summary>
/// An emailed invitation: bound to one address, single use, expiring. Only a hash of the token is
/// stored, so the table alone cannot be used to join a team.
/// </summary>
public sealed class TeamInvitation
{
    public const int EmailMaxLength = 256;

    public int Id { get; set; }
    public int TeamId { get; set; }
    public Team? Team { get; set; }

    /// <summary>The invited address as typed (trimmed); matched without case.</summary>
    public required string Email { get; set; }

    public TeamRole Role { get; set; }

    /// <summary>SHA-256 of the token in the link, hex.</summary>
    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string? InvitedByUserId { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public string? AcceptedByUserId { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsOpen(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && ExpiresAt > now;
}
