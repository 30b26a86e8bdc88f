namespace Watchtower.Data.Entities;

/// <summary>Who may read a status page. Stored by name.</summary>
public enum StatusPageVisibility
{
    /// <summary>Anyone, and search engines may index it.</summary>
    Public = 0,

    /// <summary>Anyone with the address; search engines are asked not to index it.</summary>
    Unlisted,

    /// <summary>Readers who enter the page's password.</summary>
    Password,

    /// <summary>Only signed-in members of the team that owns it.</summary>
    Members,
}
