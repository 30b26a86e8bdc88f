namespace Watchtower.Data.Entities;

public sealed class StatusPage
{
    public const int NameMaxLength = 100;
    public const int SlugMaxLength = 60;
    public const int DescriptionMaxLength = 500;

    public int Id { get; set; }
    /// <summary>The team that owns it.</summary>
    public int TeamId { get; set; }
    public required string Name { get; set; }

    /// <summary>Unique across the instance; the public URL is /status/{slug}.</summary>
    public required string Slug { get; set; }

    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public List<StatusPageCheck> Checks { get; set; } = [];
}
