namespace Watchtower.Data.Entities;

/// <summary>What a member may do in a team, each role including the ones before it. Stored by name.</summary>
public enum TeamRole
{
    /// <summary>Sees everything; changes and runs nothing.</summary>
    Viewer = 0,

    /// <summary>Pages, checks and incidents: creates, changes, runs and deletes them.</summary>
    Editor = 1,

    /// <summary>Also the team itself: members, roles, invitations, settings, deletion.</summary>
    Owner = 2,
}
