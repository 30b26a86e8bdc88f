using System.ComponentModel.DataAnnotations;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Pages.StatusPages;

/// <summary>The fields of a status page, shared by Create and Edit.</summary>
public sealed class PageInput
{
    [Required(ErrorMessage = "Enter a name for the page.")]
    [StringLength(StatusPage.NameMaxLength, ErrorMessage = "Use at most {1} characters.")]
    [Display(Name = "Name")]
    public string Name { get; set; } = "";

    [StringLength(StatusPage.SlugMaxLength, ErrorMessage = "Use at most {1} characters.")]
    [Display(Name = "Slug")]
    public string? Slug { get; set; }

    [StringLength(StatusPage.DescriptionMaxLength, ErrorMessage = "Use at most {1} characters.")]
    [Display(Name = "Description (optional)")]
    public string? Description { get; set; }
}
