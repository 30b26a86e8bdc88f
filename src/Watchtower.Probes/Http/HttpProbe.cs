using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.RegularExpressions;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Http;

/// <summary>
/// HTTP(S) check. Every connection — the first and each redirect hop's — is opened by the egress
/// guard in the handler's ConnectCallback, so every hop is checked and the checked address is the
/// one dialled. Redirects are followed here, hop by hop, to report the chain.
/// </summary>
public sealed class HttpProbe(EgressGuard guard, TlsInspector tls, TimeProvider time) : IProbe
{
    private const int MaxBodyBytes = 2 * 1024 * 1024;

    public ProbeKind Kind => ProbeKind.Http;

    internal sealed class Exchange
    {
        public TimeSpan? Dns;
        public TimeSpan? Connect;
        public long ConnectedAt;
        public TimeSpan? Tls;
        public string? Remote;
        public CertificateFacts? Certificate;
        public string? TlsProtocol;
    }

    internal sealed class EgressRefusedException(FailureReason reason, string message) : IOException(message)
    {
        public FailureReason Reason { get; } = reason;
    }

    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Http;
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return ProbeResult.Failed(FailureReason.Error, $"“{options.Url}” is not an http:// or https:// URL.") with { StartedAt = startedAt };
        }

        if (!StatusRanges.TryParse(options.ExpectedStatus, out var expected, out var statusError))
        {
            return ProbeResult.Failed(FailureReason.Error, statusError) with { StartedAt = startedAt };
        }

        var exchange = new Exchange();
        using var handler = CreateHandler(guard, tls, time, exchange, options.VerifyTls, url.IdnHost);
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

        var hops = new List<HttpHop>();
        var current = url;
        var method = new HttpMethod(options.Method.ToUpperInvariant());
        HttpResponseMessage? response = null;
        try
        {
            while (true)
            {
                using var message = new HttpRequestMessage(method, current);
                message.Headers.UserAgent.ParseAdd("Watchtower/1.0 (+status checks)");
                foreach (var (name, value) in options.Headers)
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }

                if (method == HttpMethod.Post && options.Body is not null)
                {
                    message.Content = new StringContent(options.Body, Encoding.UTF8);
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(options.ContentType ?? "application/json");
                }

                response?.Dispose();
                response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                var status = (int)response.StatusCode;
                if (!options.FollowRedirects || status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is null)
                {
                    break;
                }

                hops.Add(new HttpHop(current.ToString(), status));
                if (hops.Count > options.MaxRedirects)
                {
                    return Result(FailureReason.Status, $"More than {options.MaxRedirects} redirects; the last went to {response.Headers.Location}.", status, current, hops, 0, response);
                }

                var next = new Uri(current, response.Headers.Location);
                if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                {
                    return Result(FailureReason.Status, $"A redirect pointed to {next.Scheme}:, which is not HTTP.", status, current, hops, 0, response);
                }

                if (status == 303 || (status is 301 or 302 && method == HttpMethod.Post))
                {
                    method = HttpMethod.Get; // browsers turn these into GET without a body
                }

                current = next;
            }

            var firstByte = time.GetElapsedTime(started);
            var (body, size) = await ReadBodyAsync(response, cancellationToken);
            var code = (int)response.StatusCode;
            var facts = (code, current, hops, size, response);
            if (!StatusRanges.Matches(expected, code))
            {
                return Result(FailureReason.Status, $"{current} answered {code} {response.ReasonPhrase}; expected {options.ExpectedStatus}.", facts.code, facts.current, facts.hops, facts.size, response, firstByte);
            }

            if (KeywordProblem(options, body) is { } keyword)
            {
                return Result(FailureReason.Keyword, keyword, code, current, hops, size, response, firstByte);
            }

            var redirects = hops.Count == 0 ? "" : $" after {hops.Count} redirect{(hops.Count == 1 ? "" : "s")}";
            return Result(FailureReason.None, $"{current} answered {code} {response.ReasonPhrase}{redirects} ({size} bytes).", code, current, hops, size, response, firstByte);
        }
        catch (HttpRequestException ex)
        {
            return Failure(ex, current, hops);
        }
        finally
        {
            response?.Dispose();
        }

        ProbeResult Result(FailureReason reason, string message, int code, Uri final, List<HttpHop> chain, long size, HttpResponseMessage answer, TimeSpan? firstByte = null) => new()
        {
            Success = reason == FailureReason.None,
            Reason = reason,
            Message = message,
            StartedAt = startedAt,
            Timings = new ProbeTimings { Dns = exchange.Dns, Connect = exchange.Connect, Tls = exchange.Tls, FirstByte = firstByte ?? time.GetElapsedTime(started) },
            RemoteEndpoint = exchange.Remote,
            Certificate = exchange.Certificate,
            TlsProtocol = exchange.TlsProtocol,
            Banner = answer.Headers.Server.Count > 0 ? answer.Headers.Server.ToString() : null,
            Http = new HttpFacts
            {
                StatusCode = code,
                FinalUrl = final.ToString(),
                Redirects = chain,
                BodyBytes = size,
                ContentType = answer.Content.Headers.ContentType?.ToString(),
            },
        };

        ProbeResult Failure(HttpRequestException ex, Uri at, List<HttpHop> chain)
        {
            var (reason, message) = ex.InnerException switch
            {
                EgressRefusedException refused => (refused.Reason, refused.Message),
                AuthenticationException when exchange.Certificate is { Valid: false } certificate =>
                    (FailureReason.Tls, $"The TLS certificate of {at.Host} is not valid: {certificate.Problem}."),
                AuthenticationException auth => (FailureReason.Tls, $"TLS handshake with {at.Host} failed: {auth.Message}"),
                IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset } } => (FailureReason.Reset, $"{at.Host} reset the connection."),
                _ when ex.HttpRequestError == HttpRequestError.ResponseEnded => (FailureReason.Reset, $"{at.Host} closed the connection without an answer."),
                _ => (FailureReason.Error, $"The request to {at} failed: {ex.Message}"),
            };
            return new ProbeResult
            {
                Success = false,
                Reason = reason,
                Message = message,
                StartedAt = startedAt,
                Timings = new ProbeTimings { Dns = exchange.Dns, Connect = exchange.Connect, Tls = exchange.Tls },
                RemoteEndpoint = exchange.Remote,
                Certificate = exchange.Certificate,
                Http = chain.Count == 0 ? null : new HttpFacts { FinalUrl = at.ToString(), Redirects = chain },
            };
        }
    }

    /// <summary>
    /// A handler whose every connection is opened by the egress guard (so every redirect hop is
    /// checked), which records timings and the certificate into <paramref name="exchange"/>.
    /// </summary>
    internal static SocketsHttpHandler CreateHandler(EgressGuard guard, TlsInspector tls, TimeProvider time, Exchange exchange, bool verifyTls, string fallbackHost) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectCallback = async (context, token) =>
        {
            var connection = await guard.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, token);
            exchange.Dns ??= connection.DnsTime;
            exchange.Connect ??= connection.ConnectTime;
            exchange.Remote = connection.RemoteEndpointText ?? exchange.Remote;
            exchange.ConnectedAt = time.GetTimestamp();
            if (!connection.Connected)
            {
                connection.Dispose();
                throw new EgressRefusedException(connection.Reason, connection.Message);
            }

            return new NetworkStream(connection.DetachSocket(), ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = TlsInspector.HandshakeChainPolicy(),
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                exchange.Tls = time.GetElapsedTime(exchange.ConnectedAt);
                if (certificate is null)
                {
                    return !verifyTls;
                }

                var ssl = sender as SslStream;
                exchange.TlsProtocol = ssl?.SslProtocol.ToString();
                var host = ssl?.TargetHostName is { Length: > 0 } target ? target : fallbackHost;
                exchange.Certificate = tls.Judge(certificate, chain, errors, host);
                return !verifyTls || exchange.Certificate.Valid;
            },
        },
    };

    internal static async Task<(string Body, long Size)> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (kept.Length < MaxBodyBytes)
            {
                kept.Write(buffer, 0, (int)Math.Min(read, MaxBodyBytes - kept.Length));
            }
        }

        return (Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length), total);
    }

    private static string? KeywordProblem(HttpProbeOptions options, string body)
    {
        if (!string.IsNullOrEmpty(options.MustContain) && !Found(options.MustContain, body, options.KeywordsAreRegex))
        {
            return $"The page does not contain “{options.MustContain}”.";
        }

        if (!string.IsNullOrEmpty(options.MustNotContain) && Found(options.MustNotContain, body, options.KeywordsAreRegex))
        {
            return $"The page contains “{options.MustNotContain}”, which it must not.";
        }

        return null;
    }

    private static bool Found(string keyword, string body, bool regex)
    {
        if (!regex)
        {
            return body.Contains(keyword, StringComparison.Ordinal);
        }

        try
        {
            return Regex.IsMatch(body, keyword, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(250));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
