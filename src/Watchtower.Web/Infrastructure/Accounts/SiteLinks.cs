namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>
/// Absolute links for emails, under <c>Watchtower:PublicBaseUrl</c> (<see cref="PublicAddress"/>).
/// Outside Development that setting is required (<see cref="AccountsSetup"/>): a link built from the
/// request's Host header would let anyone who asks for a password reset point the emailed link
/// (and its token) at a site of their own.
/// </summary>
public sealed class SiteLinks(PublicAddress address, IHttpContextAccessor http)
{
    /// <summary><paramref name="path"/> as Url.Page returns it, made absolute.</summary>
    public string Absolute(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var request = http.HttpContext?.Request ?? throw new InvalidOperationException("Account emails are composed within a request.");
        return address.Absolute(request, path);
    }
}
