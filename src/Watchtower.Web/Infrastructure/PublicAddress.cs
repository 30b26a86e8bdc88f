namespace Watchtower.Web.Infrastructure;

/// <summary>
/// The absolute address owners share with their customers: <c>Watchtower:PublicBaseUrl</c> when
/// the operator set one (a proxy or a separate public host name), else the scheme and host of the
/// request the owner is looking at.
/// </summary>
public sealed class PublicAddress
{
    public const string SettingName = "Watchtower:PublicBaseUrl";

    private readonly Uri? baseUrl;

    public PublicAddress(Uri? baseUrl) => this.baseUrl = baseUrl;

    /// <summary>The configured host name, if any (a custom domain may not be it).</summary>
    public string? Host => baseUrl?.Host;

    /// <summary>Reads and checks the setting; a malformed one stops start-up with a message, not a broken link later.</summary>
    public static PublicAddress FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[SettingName];
        if (string.IsNullOrWhiteSpace(value))
        {
            return new PublicAddress(null);
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new InvalidOperationException(
                $"{SettingName} must be an absolute http or https address without query or fragment, such as https://status.example.com; it is '{value}'.");
        }

        return new PublicAddress(uri);
    }

    /// <summary>
    /// The absolute form of <paramref name="path"/>, an app path as link generation returns it
    /// (it includes the request's path base, which the configured base replaces).
    /// </summary>
    public string Absolute(HttpRequest request, string path)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(path);
        if (baseUrl is null)
        {
            return $"{request.Scheme}://{request.Host.ToUriComponent()}{path}";
        }

        var pathBase = request.PathBase.Value ?? "";
        var local = pathBase.Length > 0 && path.StartsWith(pathBase, StringComparison.OrdinalIgnoreCase) ? path[pathBase.Length..] : path;
        return baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + local;
    }
}
