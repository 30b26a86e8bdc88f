using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Watchtower.Data.Entities;
using System.Text.RegularExpressions;
using Watchtower.Probes;
using Watchtower.Probes.Dns;
using Watchtower.Probes.Http;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;

namespace Watchtower.Web.Pages.Checks;

/// <summary>The fields of a check of any kind, shared by Create and Edit. Each kind validates its own section.</summary>
public sealed class CheckInput
{
    public static readonly int[] IntervalChoices = [20, 30, 60, 120, 300, 600, 900, 1800, 3600];

    [Required(ErrorMessage = "Enter a name, e.g. “Mail server (SMTP)”.")]
    [StringLength(Check.NameMaxLength, ErrorMessage = "Use at most {1} characters.")]
    [Display(Name = "Name")]
    public string Name { get; set; } = "";

    /// <summary>Chosen before the form (?kind=) and fixed once saved.</summary>
    public ProbeKind Kind { get; set; } = ProbeKind.Tcp;

    [StringLength(300, ErrorMessage = "A host name has at most 253 characters.")]
    [Display(Name = "Host")]
    public string Host { get; set; } = "";

    [Range(1, 65535, ErrorMessage = "Enter a port from 1 to 65535.")]
    [Display(Name = "Port")]
    public int? Port { get; set; }

    [StringLength(2000, ErrorMessage = "Use a URL of at most {1} characters.")]
    [Display(Name = "URL")]
    public string? Url { get; set; }

    [Display(Name = "Method")]
    public string HttpMethod { get; set; } = "GET";

    [StringLength(10_000, ErrorMessage = "Send a body of at most {1} characters.")]
    [Display(Name = "Request body (POST)")]
    public string? HttpBody { get; set; }

    [StringLength(100)]
    [Display(Name = "Content type of the body")]
    public string? HttpContentType { get; set; }

    [StringLength(4000, ErrorMessage = "Use at most {1} characters of headers.")]
    [Display(Name = "Request headers (one “Name: value” per line)")]
    public string? HttpHeaders { get; set; }

    [StringLength(100)]
    [Display(Name = "Expected status codes")]
    public string ExpectedStatus { get; set; } = "200-399";

    [StringLength(500, ErrorMessage = "Use at most {1} characters.")]
    [Display(Name = "The page must contain")]
    public string? MustContain { get; set; }

    [StringLength(500, ErrorMessage = "Use at most {1} characters.")]
    [Display(Name = "The page must not contain")]
    public string? MustNotContain { get; set; }

    [Display(Name = "The keywords are regular expressions")]
    public bool KeywordsAreRegex { get; set; }

    [Display(Name = "Follow redirects")]
    public bool FollowRedirects { get; set; } = true;

    [Range(0, 20, ErrorMessage = "Follow 0 to 20 redirects.")]
    [Display(Name = "At most this many redirects")]
    public int MaxRedirects { get; set; } = 5;

    [Display(Name = "Verify the TLS certificate")]
    public bool VerifyTls { get; set; } = true;

    [Display(Name = "Record type")]
    public DnsRecordType RecordType { get; set; } = DnsRecordType.A;

    [StringLength(60)]
    [Display(Name = "Resolver (optional: an IP, with :port if not 53)")]
    public string? Resolver { get; set; }

    [Display(Name = "Expect")]
    public DnsExpectation DnsExpectation { get; set; }

    [StringLength(2000)]
    [Display(Name = "Expected values (one per line)")]
    public string? DnsValues { get; set; }

    [StringLength(253)]
    [Display(Name = "Server name for SNI (optional)")]
    public string? ServerName { get; set; }

    [Display(Name = "Reach TLS with")]
    public StartTlsProtocol SslStartTls { get; set; }

    [Range(0, 365, ErrorMessage = "Enter 0 to 365 days.")]
    [Display(Name = "Down when the certificate expires within (days)")]
    public int CriticalDays { get; set; } = 3;

    /// <summary>SEO: what each rule's finding does to the check.</summary>
    public Dictionary<string, Watchtower.Probes.Seo.SeoSeverity> SeoSeverities { get; set; } =
        Watchtower.Probes.Seo.SeoRules.All.ToDictionary(r => r.Rule, r => r.Default);

    [Range(1, 86400, ErrorMessage = "Choose how often to check.")]
    [Display(Name = "Check every")]
    public int IntervalSeconds { get; set; } = 60;

    [Range(1, 60, ErrorMessage = "Enter a timeout from 1 to 60 seconds.")]
    [Display(Name = "Timeout (seconds)")]
    public int TimeoutSeconds { get; set; } = 10;

    [Display(Name = "Show host and port on public status pages")]
    public bool ShowTargetOnStatusPage { get; set; }

    [Display(Name = "Service")]
    public TcpService Service { get; set; } = TcpService.PortOpen;

    [Display(Name = "Upgrade with STARTTLS")]
    public bool StartTls { get; set; }

    [StringLength(Check.SendMaxLength, ErrorMessage = "Send at most {1} characters.")]
    [Display(Name = "Send (optional)")]
    public string? Send { get; set; }

    [Display(Name = "Send as")]
    public PayloadFormat SendFormat { get; set; }

    [StringLength(Check.ExpectMaxLength, ErrorMessage = "Use at most {1} characters.")]
    [Display(Name = "Expect in the reply (optional)")]
    public string? Expect { get; set; }

    [Display(Name = "Match")]
    public ExpectMode ExpectMode { get; set; }

    [Range(1, 60, ErrorMessage = "Enter a read timeout from 1 to 60 seconds.")]
    [Display(Name = "Read timeout (seconds)")]
    public int ReadTimeoutSeconds { get; set; } = 5;

    [Range(1, 10, ErrorMessage = "Enter 1 to 10 failed runs.")]
    [Display(Name = "Down after this many failed runs in a row")]
    public int FailureThreshold { get; set; } = 2;

    [Range(1, 10, ErrorMessage = "Enter 1 to 10 successful runs.")]
    [Display(Name = "Up again after this many successful runs")]
    public int RecoveryThreshold { get; set; } = 1;

    [Range(1, 3600, ErrorMessage = "Enter 1 to 3600 seconds, or leave it empty.")]
    [Display(Name = "After a failure, check again after (seconds)")]
    public int? RetryIntervalSeconds { get; set; } = 20;

    [Range(1, 60000, ErrorMessage = "Enter 1 to 60000 ms, or leave it empty.")]
    [Display(Name = "Degraded when slower than (ms)")]
    public int? LatencyThresholdMs { get; set; }

    [Range(0, 365, ErrorMessage = "Enter 0 to 365 days.")]
    [Display(Name = "Degraded when the certificate expires within (days)")]
    public int CertificateWarningDays { get; set; } = 14;

    /// <summary>Field rules beyond the attributes; normalizes Name and Host. Adds messages under "Input.*".</summary>
    /// <param name="modelState">Where field messages go.</param>
    /// <param name="minimumIntervalSeconds">The operator's shortest interval.</param>
    /// <param name="whyBlocked">The egress guard's judgement of an IP literal, checked again at every connect.</param>
    public void Validate(ModelStateDictionary modelState, int minimumIntervalSeconds, Func<System.Net.IPAddress, string?> whyBlocked)
    {
        ArgumentNullException.ThrowIfNull(whyBlocked);
        ArgumentNullException.ThrowIfNull(modelState);
        Name = Name?.Trim() ?? "";
        switch (Kind)
        {
            case ProbeKind.Http:
            case ProbeKind.Seo:
                ValidateHttp(modelState, whyBlocked);
                if (Kind == ProbeKind.Seo && SeoSeverities.Any(s => !Enum.IsDefined(s.Value) || !Watchtower.Probes.Seo.SeoRules.All.Any(r => r.Rule == s.Key)))
                {
                    modelState.AddModelError("Input.SeoSeverities", "Choose down, degraded or ignore for each rule.");
                }

                break;
            case ProbeKind.Dns:
                ValidateDns(modelState, whyBlocked);
                break;
            case ProbeKind.Ssl:
            case ProbeKind.Tcp:
                if (Port is null && modelState.GetFieldValidationState("Input.Port") != ModelValidationState.Invalid)
                {
                    modelState.AddModelError("Input.Port", "Enter a port from 1 to 65535.");
                }

                if (!string.IsNullOrWhiteSpace(ServerName))
                {
                    if (HostInput.TryNormalize(ServerName, out var sni, out var sniError))
                    {
                        ServerName = sni;
                    }
                    else
                    {
                        modelState.AddModelError("Input.ServerName", sniError);
                    }
                }

                break;
            default:
                modelState.AddModelError("Input.Kind", "Choose a kind of check.");
                return;
        }

        if (Kind is ProbeKind.Tcp or ProbeKind.Ssl or ProbeKind.Dns && modelState.GetFieldValidationState("Input.Host") != ModelValidationState.Invalid)
        {
            var valid = Kind == ProbeKind.Dns
                ? HostInput.TryNormalizeRecordName(Host, out var host, out var error)
                : HostInput.TryNormalize(Host, out host, out error);
            if (valid)
            {
                Host = host;
                // A DNS check only asks a resolver about the name; it never dials the host.
                if (Kind != ProbeKind.Dns && System.Net.IPAddress.TryParse(host, out var literal) && whyBlocked(literal) is { } blocked)
                {
                    modelState.AddModelError("Input.Host", blocked);
                }
            }
            else
            {
                modelState.AddModelError("Input.Host", error);
            }
        }

        if (Kind == ProbeKind.Tcp)
        {
            ValidateService(modelState);
        }
        if (RetryIntervalSeconds is { } retry && retry < minimumIntervalSeconds)
        {
            modelState.AddModelError("Input.RetryIntervalSeconds", $"Check again after at least {minimumIntervalSeconds} seconds.");
        }

        // A read timeout longer than the check's timeout is simply cut to it when the check runs.
        if (modelState.GetFieldValidationState("Input.IntervalSeconds") != ModelValidationState.Invalid
            && IntervalSeconds < minimumIntervalSeconds)
        {
            modelState.AddModelError("Input.IntervalSeconds", $"Check at most every {minimumIntervalSeconds} seconds.");
        }

        if (modelState.GetFieldValidationState("Input.TimeoutSeconds") != ModelValidationState.Invalid
            && modelState.GetFieldValidationState("Input.IntervalSeconds") != ModelValidationState.Invalid
            && TimeoutSeconds >= IntervalSeconds)
        {
            modelState.AddModelError("Input.TimeoutSeconds", "The timeout must be shorter than the interval.");
        }
    }

    private void ValidateHttp(ModelStateDictionary modelState, Func<System.Net.IPAddress, string?> whyBlocked)
    {
        var text = Url?.Trim() ?? "";
        if (text.Length == 0)
        {
            modelState.AddModelError("Input.Url", "Enter the URL to check, e.g. https://www.example.com/health.");
            return;
        }

        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            modelState.AddModelError("Input.Url", "Enter an http:// or https:// URL.");
            return;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            modelState.AddModelError("Input.Url", "Do not put a user name or password in the URL; use a request header instead.");
            return;
        }

        if (!HostInput.TryNormalize(uri.Host, out var host, out var hostError))
        {
            modelState.AddModelError("Input.Url", hostError);
            return;
        }

        if (System.Net.IPAddress.TryParse(host, out var literal) && whyBlocked(literal) is { } blocked)
        {
            modelState.AddModelError("Input.Url", blocked);
            return;
        }

        Url = uri.ToString();
        Host = host;
        Port = uri.Port;
        HttpMethod = (HttpMethod ?? "GET").Trim().ToUpperInvariant();
        if (HttpMethod is not ("GET" or "HEAD" or "POST"))
        {
            modelState.AddModelError("Input.HttpMethod", "Choose GET, HEAD or POST.");
        }

        if (!StatusRanges.TryParse(ExpectedStatus, out _, out var statusError))
        {
            modelState.AddModelError("Input.ExpectedStatus", statusError);
        }

        if (CheckSettings.Lines(HttpHeaders).FirstOrDefault(line => !line.Contains(':', StringComparison.Ordinal) || line.StartsWith(':')) is { } badHeader)
        {
            modelState.AddModelError("Input.HttpHeaders", $"“{Shorten(badHeader)}” is not a header; write “Name: value”.");
        }
        else if (CheckSettings.ParseHeaders(HttpHeaders).FirstOrDefault(h => HttpProbeOptions.IsForbiddenHeader(h.Key)) is { Key: { } forbidden })
        {
            modelState.AddModelError("Input.HttpHeaders",
                $"Watchtower sets “{Shorten(forbidden)}” itself; remove it. Headers it sets: {string.Join(", ", HttpProbeOptions.ForbiddenHeaders)}.");
        }

        if (!HttpProbeOptions.IsValidContentType(HttpContentType))
        {
            modelState.AddModelError("Input.HttpContentType", $"“{Shorten(HttpContentType!)}” is not a media type; write it like application/json or text/plain; charset=utf-8.");
        }

        if (KeywordsAreRegex)
        {
            foreach (var (field, pattern) in new[] { ("Input.MustContain", MustContain), ("Input.MustNotContain", MustNotContain) })
            {
                if (!string.IsNullOrEmpty(pattern) && !IsRegex(pattern, out var regexError))
                {
                    modelState.AddModelError(field, $"That is not a valid regular expression: {regexError}");
                }
            }
        }
    }

    private void ValidateDns(ModelStateDictionary modelState, Func<System.Net.IPAddress, string?> whyBlocked)
    {
        Port = 53;
        if (!Enum.IsDefined(RecordType) || !Enum.IsDefined(DnsExpectation))
        {
            modelState.AddModelError("Input.RecordType", "Choose a record type and an expectation from the lists.");
        }

        if (!string.IsNullOrWhiteSpace(Resolver))
        {
            if (!DnsProbe.TryParseResolver(Resolver, out var endpoint))
            {
                modelState.AddModelError("Input.Resolver", "Enter the resolver as an IP address, with :port if it is not 53 (e.g. 9.9.9.9 or [2001:db8::53]:5353).");
            }
            else if (whyBlocked(endpoint.Address) is { } blocked)
            {
                modelState.AddModelError("Input.Resolver", blocked);
            }
        }

        if (DnsExpectation != DnsExpectation.AnyAnswer && CheckSettings.Lines(DnsValues).Count == 0)
        {
            modelState.AddModelError("Input.DnsValues", "Enter the values the answers must contain, one per line.");
        }
    }

    private static bool IsRegex(string pattern, out string error)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(250));
            error = "";
            return true;
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private void ValidateService(ModelStateDictionary modelState)
    {
        if (!Enum.IsDefined(Service))
        {
            modelState.AddModelError("Input.Service", "Choose a service from the list.");
            return;
        }

        if (StartTls && !TcpServices.Of(Service).CanStartTls)
        {
            StartTls = false; // the checkbox only applies to SMTP, IMAP and POP3; ignore it elsewhere
        }

        if (Service != TcpService.Custom)
        {
            Send = null;
            Expect = null;
            return;
        }

        if (!Enum.IsDefined(SendFormat) || !Enum.IsDefined(ExpectMode))
        {
            modelState.AddModelError("Input.Send", "Choose how to send and how to match.");
            return;
        }

        if (!Payload.TryParse(Send, SendFormat, out _, out var payloadError))
        {
            modelState.AddModelError("Input.Send", payloadError);
        }

        if (ExpectMode == ExpectMode.Regex && !string.IsNullOrEmpty(Expect))
        {
            try
            {
                _ = new Regex(Expect, RegexOptions.None, TimeSpan.FromMilliseconds(250));
            }
            catch (ArgumentException ex)
            {
                modelState.AddModelError("Input.Expect", $"That is not a valid regular expression: {ex.Message}");
            }
        }
    }

    /// <summary>A TCP check that speaks TLS: an implicit-TLS service or a STARTTLS upgrade.</summary>
    private bool UsesTls => Enum.IsDefined(Service) && TcpServices.Of(Service) is var preset && (preset.ImplicitTls || (StartTls && preset.CanStartTls));

    public void ApplyTo(Check check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.Name = Name;
        check.Kind = Kind;
        check.SettingsJson = Kind switch
        {
            ProbeKind.Http => new KindSettings
            {
                Http = new HttpSettings
                {
                    Url = Url ?? "", Method = HttpMethod, Body = HttpMethod == "POST" ? HttpBody : null, ContentType = HttpContentType,
                    Headers = HttpHeaders, ExpectedStatus = ExpectedStatus.Trim(), MustContain = NullIfEmpty(MustContain),
                    MustNotContain = NullIfEmpty(MustNotContain), KeywordsAreRegex = KeywordsAreRegex, FollowRedirects = FollowRedirects,
                    MaxRedirects = MaxRedirects, VerifyTls = VerifyTls,
                },
            }.ToJson(),
            ProbeKind.Dns => new KindSettings
            {
                Dns = new DnsSettings { RecordType = RecordType, Resolver = NullIfEmpty(Resolver?.Trim()), Expectation = DnsExpectation, Values = NullIfEmpty(DnsValues) },
            }.ToJson(),
            ProbeKind.Seo => new KindSettings
            {
                Http = new HttpSettings { Url = Url ?? "" },
                Seo = new SeoSettings { Severities = new Dictionary<string, Watchtower.Probes.Seo.SeoSeverity>(SeoSeverities) },
            }.ToJson(),
            ProbeKind.Ssl => new KindSettings { Ssl = new SslSettings { ServerName = NullIfEmpty(ServerName), StartTls = SslStartTls, CriticalDays = CriticalDays } }.ToJson(),
            // A TCP check keeps only the name its TLS certificate is checked against, when one is given.
            ProbeKind.Tcp when UsesTls && !string.IsNullOrWhiteSpace(ServerName) => new KindSettings { Ssl = new SslSettings { ServerName = ServerName } }.ToJson(),
            _ => null,
        };
        check.Host = Host;
        check.Port = Port ?? 0;
        check.IntervalSeconds = IntervalSeconds;
        check.TimeoutSeconds = TimeoutSeconds;
        check.ShowTargetOnStatusPage = ShowTargetOnStatusPage;
        check.Service = Service;
        check.StartTls = StartTls;
        check.Send = string.IsNullOrEmpty(Send) ? null : Send;
        check.SendFormat = SendFormat;
        check.Expect = string.IsNullOrEmpty(Expect) ? null : Expect;
        check.ExpectMode = ExpectMode;
        check.ReadTimeoutSeconds = ReadTimeoutSeconds;
        check.FailureThreshold = FailureThreshold;
        check.RecoveryThreshold = RecoveryThreshold;
        check.RetryIntervalSeconds = RetryIntervalSeconds;
        check.LatencyThresholdMs = LatencyThresholdMs;
        check.CertificateWarningDays = CertificateWarningDays;
    }

    /// <summary>A typed value quoted back in a message, cut so a huge paste does not fill the page.</summary>
    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    public static CheckInput From(Check check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var settings = KindSettings.Parse(check.SettingsJson);
        var http = settings.Http ?? new HttpSettings();
        var dns = settings.Dns ?? new DnsSettings();
        var ssl = settings.Ssl ?? new SslSettings();
        return new CheckInput
        {
            Kind = check.Kind,
            Url = http.Url,
            HttpMethod = http.Method,
            HttpBody = http.Body,
            HttpContentType = http.ContentType,
            HttpHeaders = http.Headers,
            ExpectedStatus = http.ExpectedStatus,
            MustContain = http.MustContain,
            MustNotContain = http.MustNotContain,
            KeywordsAreRegex = http.KeywordsAreRegex,
            FollowRedirects = http.FollowRedirects,
            MaxRedirects = http.MaxRedirects,
            VerifyTls = http.VerifyTls,
            RecordType = dns.RecordType,
            Resolver = dns.Resolver,
            DnsExpectation = dns.Expectation,
            DnsValues = dns.Values,
            ServerName = ssl.ServerName,
            SslStartTls = ssl.StartTls,
            CriticalDays = ssl.CriticalDays,
            SeoSeverities = Watchtower.Probes.Seo.SeoRules.All.ToDictionary(r => r.Rule, r => (settings.Seo ?? new SeoSettings()).SeverityOf(r.Rule)),
            Name = check.Name,
            Host = check.Host,
            Port = check.Port,
            IntervalSeconds = check.IntervalSeconds,
            TimeoutSeconds = check.TimeoutSeconds,
            ShowTargetOnStatusPage = check.ShowTargetOnStatusPage,
            Service = check.Service,
            StartTls = check.StartTls,
            Send = check.Send,
            SendFormat = check.SendFormat,
            Expect = check.Expect,
            ExpectMode = check.ExpectMode,
            ReadTimeoutSeconds = check.ReadTimeoutSeconds,
            FailureThreshold = check.FailureThreshold,
            RecoveryThreshold = check.RecoveryThreshold,
            RetryIntervalSeconds = check.RetryIntervalSeconds,
            LatencyThresholdMs = check.LatencyThresholdMs,
            CertificateWarningDays = check.CertificateWarningDays,
        };
    }

    public static string IntervalText(int seconds) => seconds switch
    {
        1 => "1 second",
        < 60 => $"{seconds} seconds",
        60 => "1 minute",
        < 3600 => $"{seconds / 60} minutes",
        3600 => "1 hour",
        _ => $"{seconds / 3600} hours",
    };
}
