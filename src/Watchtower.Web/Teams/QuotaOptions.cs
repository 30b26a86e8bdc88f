using System.ComponentModel.DataAnnotations;

namespace Watchtower.Web.Teams;

/// <summary>
/// Bound from <c>Watchtower:Quotas</c>: what one team may hold on this instance, set by the operator
/// (a hosted instance keeps one sign-up from filling it; a private one can raise them).
/// </summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Watchtower:Quotas";

    [Range(1, 1_000_000, ErrorMessage = SectionName + ":ChecksPerTeam must be from {1} to {2}.")]
    public int ChecksPerTeam { get; set; } = 50;

    [Range(1, 10_000, ErrorMessage = SectionName + ":PagesPerTeam must be from {1} to {2}.")]
    public int PagesPerTeam { get; set; } = 10;

    [Range(1, 10_000, ErrorMessage = SectionName + ":MembersPerTeam must be from {1} to {2}.")]
    public int MembersPerTeam { get; set; } = 25;

    [Range(1, 1_000, ErrorMessage = SectionName + ":TeamsPerUser must be from {1} to {2}.")]
    public int TeamsPerUser { get; set; } = 10;

    /// <summary>Open invitations a team may have at once.</summary>
    [Range(1, 1_000, ErrorMessage = SectionName + ":PendingInvitationsPerTeam must be from {1} to {2}.")]
    public int PendingInvitationsPerTeam { get; set; } = 20;
}
