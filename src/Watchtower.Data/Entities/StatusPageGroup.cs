namespace Watchtower.Data.Entities;

/// <summary>A named group of components on a status page, shown collapsible, at a position the owner sets.</summary>
public sealed class StatusPageGroup
{
    public const int NameMaxLength = 80;

    public int Id { get; set; }
    public int StatusPageId { get; set; }
    public required string Name { get; set; }
    public int SortOrder { get; set; }
}
