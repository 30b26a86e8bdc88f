using System.Net;

namespace Watchtower.Web.Checks;

/// <summary>What validating a check needs from the installation: the operator's shortest interval and the egress guard's judgement of an address.</summary>
/// <param name="MinimumIntervalSeconds">The shortest interval (and retry interval) an owner may choose.</param>
/// <param name="WhyBlocked">Null when an address may be dialled; otherwise why not. Checked again at every connect.</param>
public sealed record CheckValidation(int MinimumIntervalSeconds, Func<IPAddress, string?> WhyBlocked)
{
    /// <summary>A typed value quoted back in a message, cut so a huge paste does not fill the page.</summary>
    public static string Shorten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= 60 ? text : text[..60] + "…";
    }

    public static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
