namespace Watchtower.Data.Entities;

public sealed class StatusPage
{
    public const int NameMaxLength = 100;
    public const int SlugMaxLength = 60;
    public const int DescriptionMaxLength = 500;
    public const int SiteUrlMaxLength = 500;
    public const int DomainMaxLength = 253;

    public int Id { get; set; }
    /// <summary>The team that owns it.</summary>
    public int TeamId { get; set; }
    public required string Name { get; set; }

    /// <summary>Unique across the instance; the public URL is /status/{slug}.</summary>
    public required string Slug { get; set; }

    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public List<StatusPageCheck> Checks { get; set; } = [];
    public List<StatusPageGroup> Groups { get; set; } = [];

    /// <summary>Content hash of the logo (its bytes live in <see cref="StatusPageLogo"/>); null when the page has none.</summary>
    public string? LogoHash { get; set; }

    /// <summary>image/png, image/jpeg or image/webp.</summary>
    public string? LogoContentType { get; set; }
    public int? LogoWidth { get; set; }
    public int? LogoHeight { get; set; }

    /// <summary>The owner's own site, linked from the header (http or https only).</summary>
    public string? SiteUrl { get; set; }

    /// <summary>#rrggbb, lowercase; null for the default look.</summary>
    public string? AccentColor { get; set; }

    public StatusPageVisibility Visibility { get; set; }

    /// <summary>ASP.NET Identity PasswordHasher output, for <see cref="StatusPageVisibility.Password"/>.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>A host name (status.example.com), lowercase ASCII; unique across the instance.</summary>
    public string? CustomDomain { get; set; }

    /// <summary>The value the owner publishes in the TXT record _watchtower.&lt;domain&gt; to prove control.</summary>
    public string? DomainToken { get; set; }

    /// <summary>When the TXT record was last found; null until then. Only a verified domain is served.</summary>
    public DateTimeOffset? DomainVerifiedAt { get; set; }
}
