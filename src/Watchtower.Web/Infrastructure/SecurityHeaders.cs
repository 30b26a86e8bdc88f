namespace Watchtower.Web.Infrastructure;

/// <summary>The headers every response carries, pages and error answers alike.</summary>
internal static class SecurityHeaders
{
    private const string DefaultPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        if (PublicApi.Widget.IsWidgetPath(response.HttpContext.Request.Path))
        {
            // The embeddable widget, and only it, may be framed by any site (X-Frame-Options has no
            // "anyone" value, so it is left out; CSP frame-ancestors says it). Its CSP allows its own
            // inline style by hash and nothing else.
            headers.ContentSecurityPolicy = PublicApi.Widget.ContentSecurityPolicy;
            return;
        }

        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = DefaultPolicy;
    }
}
