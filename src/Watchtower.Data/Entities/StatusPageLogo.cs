namespace Watchtower.Data.Entities;

/// <summary>
/// The bytes of a page's logo, apart from the page row so that reading a page (every editor view,
/// every uncached public render) does not carry up to half a megabyte it does not show.
/// </summary>
public sealed class StatusPageLogo
{
    public int StatusPageId { get; set; }
    public required byte[] Content { get; set; }
}
