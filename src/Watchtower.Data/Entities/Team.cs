namespace Watchtower.Data.Entities;

/// <summary>The tenant: it owns status pages, checks and everything hung on them; people are its members.</summary>
public sealed class Team
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who made it (a sign-up makes a personal team); kept for the record, not for access.</summary>
    public string? CreatedByUserId { get; set; }

    /// <summary>An owner's rule: members without two-factor sign-in see only their account pages until they turn it on.</summary>
    public bool RequireTwoFactor { get; set; }

    public List<TeamMember> Members { get; set; } = [];
}
