using Microsoft.AspNetCore.Identity;

namespace Watchtower.Data.Entities;

/// <summary>An account. Every status page and check belongs to exactly one.</summary>
public sealed class WatchtowerUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}
