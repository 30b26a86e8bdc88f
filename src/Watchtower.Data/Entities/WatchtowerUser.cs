using Microsoft.AspNetCore.Identity;

namespace Watchtower.Data.Entities;

/// <summary>A person. What they can see and change comes from the teams they are a member of.</summary>
public sealed class WatchtowerUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The team the person last worked in; the app opens it next time (if they are still a member).</summary>
    public int? CurrentTeamId { get; set; }
}
