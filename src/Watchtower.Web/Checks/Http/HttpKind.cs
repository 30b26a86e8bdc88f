using Watchtower.Probes;
using Watchtower.Probes.Http;

namespace Watchtower.Web.Checks.Http;

/// <summary>HTTP(S) checks: a URL, how to ask, and what the answer must be.</summary>
public sealed class HttpKind : CheckKind<HttpSettings>
{
    public const int BodyMaxLength = 10_000;
    public const int KeywordMaxLength = 500;
    public const int MaxHeaders = 50;

    public override ProbeKind Kind => ProbeKind.Http;
    public override string Label => "HTTP(S)";
    public override string Hint => "Watchtower requests the URL on every run and checks the status code, the content and the response time.";
    public override string NamePlaceholder => "Website";
    public override string TargetNoun => "URL";

    protected override HttpSettings Get(CheckForm form) => form.Http;

    protected override void Set(CheckForm form, HttpSettings settings) => form.Http = settings;

    protected override HttpSettings Validate(HttpSettings settings, CheckValidation context, FieldErrors.Scoped errors)
    {
        var method = (settings.Method ?? "GET").Trim().ToUpperInvariant();
        if (method is not ("GET" or "HEAD" or "POST"))
        {
            errors.Add(nameof(HttpSettings.Method), "Choose GET, HEAD or POST.");
        }

        if (!StatusRanges.TryParse(settings.ExpectedStatus, out _, out var statusError))
        {
            errors.Add(nameof(HttpSettings.ExpectedStatus), statusError);
        }

        var headers = settings.Headers ?? [];
        if (headers.Count > MaxHeaders)
        {
            errors.Add(nameof(HttpSettings.Headers), $"Send at most {MaxHeaders} headers.");
        }
        else if (headers.FirstOrDefault(h => string.IsNullOrWhiteSpace(h.Name)) is not null)
        {
            errors.Add(nameof(HttpSettings.Headers), "Every header needs a name; write “Name: value”.");
        }
        else if (headers.FirstOrDefault(h => HttpSettings.IsForbiddenHeader(h.Name)) is { } forbidden)
        {
            errors.Add(nameof(HttpSettings.Headers),
                $"Watchtower sets “{CheckValidation.Shorten(forbidden.Name.Trim())}” itself; remove it. Headers it sets: {string.Join(", ", HttpSettings.ForbiddenHeaders)}.");
        }
        else if (headers.Sum(h => h.Name.Length + h.Value.Length + 4) > 4000)
        {
            errors.Add(nameof(HttpSettings.Headers), "Use at most 4000 characters of headers.");
        }

        if (!HttpSettings.IsValidContentType(settings.ContentType))
        {
            errors.Add(nameof(HttpSettings.ContentType), $"“{CheckValidation.Shorten(settings.ContentType!)}” is not a media type; write it like application/json or text/plain; charset=utf-8.");
        }

        Fields.MaxLength(settings.ContentType, 100, errors, nameof(HttpSettings.ContentType));
        Fields.MaxLength(settings.Body, BodyMaxLength, errors, nameof(HttpSettings.Body));
        Fields.MaxLength(settings.MustContain, KeywordMaxLength, errors, nameof(HttpSettings.MustContain));
        Fields.MaxLength(settings.MustNotContain, KeywordMaxLength, errors, nameof(HttpSettings.MustNotContain));
        if (settings.KeywordsAreRegex)
        {
            Fields.Pattern(settings.MustContain, errors, nameof(HttpSettings.MustContain));
            Fields.Pattern(settings.MustNotContain, errors, nameof(HttpSettings.MustNotContain));
        }

        Fields.Within(settings.MaxRedirects, 0, 20, errors, nameof(HttpSettings.MaxRedirects), "Follow 0 to 20 redirects.");
        Fields.Within(settings.CertificateWarningDays, 0, 365, errors, nameof(HttpSettings.CertificateWarningDays), "Enter 0 to 365 days.");
        return settings with
        {
            Url = Fields.Url(settings.Url, context, errors),
            Method = method,
            ExpectedStatus = settings.ExpectedStatus?.Trim() ?? "",
            Headers = [.. headers.Select(h => new HttpHeader(h.Name.Trim(), h.Value.Trim()))],
            Body = method == "POST" ? settings.Body : null,
            ContentType = method == "POST" ? CheckValidation.NullIfBlank(settings.ContentType?.Trim()) : null,
            MustContain = string.IsNullOrEmpty(settings.MustContain) ? null : settings.MustContain,
            MustNotContain = string.IsNullOrEmpty(settings.MustNotContain) ? null : settings.MustNotContain,
        };
    }

    protected override string Describe(HttpSettings settings) =>
        $"{settings.Method}, expects {settings.ExpectedStatus}"
        + (settings.MustContain is { } must ? $", must contain “{must}”" : "")
        + (settings.MustNotContain is { } mustNot ? $", must not contain “{mustNot}”" : "")
        + (settings.VerifyTls ? "" : ", certificate not verified");

    protected override KindSeed Seed(HttpSettings settings) => new(Tcp.TcpKind.HostOf(settings.Url), null, settings.Url);

    public override IKindSettings Seeded(KindSeed seed) => new HttpSettings { Url = UrlOf(seed) };

    /// <summary>A URL from what was typed for another kind: the URL itself, or https:// and the host.</summary>
    internal static string UrlOf(KindSeed seed) =>
        seed.Url is { Length: > 0 } url ? url
        : seed.Host is { Length: > 0 } host ? $"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}/"
        : "";
}
