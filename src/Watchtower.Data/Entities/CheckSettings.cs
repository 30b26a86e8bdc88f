using Watchtower.Probes;
using Watchtower.Probes.Dns;
using Watchtower.Probes.Http;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;

namespace Watchtower.Data.Entities;

/// <summary>Turns a stored check into the probe request that runs it.</summary>
public static class CheckSettings
{
    public static ProbeRequest ToProbeRequest(this Check check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var settings = KindSettings.Parse(check.SettingsJson);
        var http = settings.Http ?? new HttpSettings();
        var dns = settings.Dns ?? new DnsSettings();
        var ssl = settings.Ssl ?? new SslSettings();
        return new ProbeRequest(check.Kind, check.Host, check.Port, TimeSpan.FromSeconds(check.TimeoutSeconds))
        {
            Http = new HttpProbeOptions
            {
                Url = http.Url,
                Method = http.Method,
                Body = http.Body,
                ContentType = http.ContentType,
                Headers = ParseHeaders(http.Headers),
                ExpectedStatus = http.ExpectedStatus,
                MustContain = http.MustContain,
                MustNotContain = http.MustNotContain,
                KeywordsAreRegex = http.KeywordsAreRegex,
                FollowRedirects = http.FollowRedirects,
                MaxRedirects = http.MaxRedirects,
                VerifyTls = http.VerifyTls,
            },
            Dns = new DnsProbeOptions
            {
                RecordType = dns.RecordType,
                Resolver = dns.Resolver,
                Expectation = dns.Expectation,
                Values = Lines(dns.Values),
            },
            Ssl = new SslProbeOptions { ServerName = ssl.ServerName, StartTls = ssl.StartTls },
            Tcp = new TcpProbeOptions
            {
                Service = check.Service,
                StartTls = check.StartTls,
                Send = check.Send,
                SendFormat = check.SendFormat,
                Expect = check.Expect,
                ExpectMode = check.ExpectMode,
                TlsServerName = ssl.ServerName,
                ReadTimeout = TimeSpan.FromSeconds(Math.Clamp(check.ReadTimeoutSeconds, 1, Math.Max(1, check.TimeoutSeconds))),
            },
        };
    }

    /// <summary>"Name: value" lines; blank lines and lines without a colon are skipped.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseHeaders(string? text) =>
        Lines(text).Select(line => line.Split(':', 2)).Where(parts => parts.Length == 2 && parts[0].Trim().Length > 0)
            .Select(parts => new KeyValuePair<string, string>(parts[0].Trim(), parts[1].Trim())).ToList();

    public static IReadOnlyList<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
