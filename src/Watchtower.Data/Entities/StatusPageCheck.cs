namespace Watchtower.Data.Entities;

/// <summary>A check shown on a status page, at a position the owner sets.</summary>
public sealed class StatusPageCheck
{
    public int StatusPageId { get; set; }
    public StatusPage? StatusPage { get; set; }
    public int CheckId { get; set; }
    public Check? Check { get; set; }
    public int SortOrder { get; set; }

    /// <summary>The group it is shown in; null: ungrouped.</summary>
    public int? GroupId { get; set; }
    public StatusPageGroup? Group { get; set; }
}
