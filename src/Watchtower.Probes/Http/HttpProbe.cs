using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Evaluation;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Http;

/// <summary>
/// HTTP(S) check. Every connection — the first and each redirect hop's — is opened by the egress
/// guard in the handler's ConnectCallback, so every hop is checked and the checked address is the
/// one dialled. Redirects are followed here, hop by hop, to report the chain.
/// </summary>
public sealed class HttpProbe(EgressGuard guard, TlsInspector tls, TimeProvider time) : Probe<HttpSettings>(ProbeKind.Http)
{
    /// <summary>How much of a body is read: plenty for keywords and SEO rules, and a bound on what a huge or endless body costs.</summary>
    internal const int MaxBodyBytes = 2 * 1024 * 1024;

    internal sealed class Exchange
    {
        public TimeSpan? Dns;
        public TimeSpan? Connect;
        public long ConnectedAt;
        public TimeSpan? Tls;
        public string? Remote;
        public CertificateFacts? Certificate;
        public string? TlsProtocol;
        public HandshakeRecorder? Handshake;
    }

    protected override async Task<ProbeResult> ProbeAsync(HttpSettings options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return ProbeResult.Failed(FailureReason.Error, $"“{options.Url}” is not an http:// or https:// URL.") with { StartedAt = startedAt };
        }

        var method = new HttpMethod(options.Method.ToUpperInvariant());
        var sendsBody = method == HttpMethod.Post && options.Body is not null;
        var contentTypeText = ContentTypeOf(options);
        MediaTypeHeaderValue? contentType = null;
        if (sendsBody && !MediaTypeHeaderValue.TryParse(contentTypeText, out contentType))
        {
            // Checked here too, not only by the form: a stored check may predate the form's validation.
            return ProbeResult.Failed(FailureReason.Error, $"Content type “{contentTypeText}” is not a valid media type.") with { StartedAt = startedAt };
        }

        var exchange = new Exchange();
        using var handler = CreateHandler(guard, tls, time, exchange, options.VerifyTls, url.IdnHost, timeout);
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

        var hops = new List<HttpHop>();
        var ignored = new List<string>();
        var current = url;
        HttpResponseMessage? response = null;
        try
        {
            while (true)
            {
                using var message = new HttpRequestMessage(method, current);
                if (method == HttpMethod.Post && options.Body is not null)
                {
                    message.Content = new StringContent(options.Body, Encoding.UTF8);
                    message.Content.Headers.ContentType = contentType;
                }

                AddHeaders(message, options.Headers, hops.Count == 0 ? ignored : null, withCredentials: Redirects.SameOrigin(url, current));
                response?.Dispose();
                response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                var status = (int)response.StatusCode;
                if (!options.FollowRedirects || !Redirects.IsRedirect(status) || !Redirects.HasLocation(response))
                {
                    break;
                }

                hops.Add(new HttpHop(current.ToString(), status));
                if (hops.Count > options.MaxRedirects)
                {
                    return Result(FailureReason.Status, Redirects.TooMany(options.MaxRedirects, response), status, current, hops, new BodyRead("", 0, false), response);
                }

                if (!Redirects.TryNext(current, response, out var next, out var problem))
                {
                    return Result(FailureReason.Status, problem, status, current, hops, new BodyRead("", 0, false), response);
                }

                method = Redirects.NextMethod(method, status);
                current = next;
            }

            // An answer arrived: whether its status and body are the expected ones is the evaluator's call.
            var firstByte = time.GetElapsedTime(started);
            var body = await ReadBodyAsync(response, cancellationToken);
            var code = (int)response.StatusCode;
            var redirects = hops.Count == 0 ? "" : $" after {hops.Count} redirect{(hops.Count == 1 ? "" : "s")}";
            var size = body.Truncated ? $"more than {MaxBodyBytes / (1024 * 1024)} MB; only the first {MaxBodyBytes / (1024 * 1024)} MB were read" : $"{body.Bytes} bytes";
            return Result(FailureReason.None, $"{current} answered {code} {response.ReasonPhrase}{redirects} ({size}).", code, current, hops, body, response, firstByte);
        }
        catch (HttpRequestException ex)
        {
            return Failure(ex, current, hops);
        }
        finally
        {
            response?.Dispose();
        }

        ProbeResult Result(FailureReason reason, string message, int code, Uri final, List<HttpHop> chain, BodyRead body, HttpResponseMessage answer, TimeSpan? firstByte = null) => new()
        {
            Success = reason == FailureReason.None,
            Reason = reason,
            Message = ignored.Count == 0 ? message : $"{message} Ignored request headers: {string.Join(", ", ignored)}.",
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
                BodyBytes = body.Bytes,
                BodyTruncated = body.Truncated,
                ContentType = answer.Content.Headers.ContentType?.ToString(),
                MustContainFound = string.IsNullOrEmpty(options.MustContain) ? null : TextMatch.Found(body.Text, options.MustContain, options.KeywordsAreRegex),
                MustNotContainFound = string.IsNullOrEmpty(options.MustNotContain) ? null : TextMatch.Found(body.Text, options.MustNotContain, options.KeywordsAreRegex),
            },
        };

        ProbeResult Failure(HttpRequestException ex, Uri at, List<HttpHop> chain)
        {
            var (reason, message) = ex.InnerException switch
            {
                EgressRefusedException refused => (refused.Reason, refused.Message),
                AuthenticationException or IOException when exchange.Handshake?.NotTls(ex.InnerException) is { } notTls =>
                    (FailureReason.Tls, notTls.Describe($"The service on port {at.Port}")),
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
    /// <param name="connectBudget">The probe's timeout, shared among a host's addresses so a dead first address leaves time for the next.</param>
    internal static SocketsHttpHandler CreateHandler(EgressGuard guard, TlsInspector tls, TimeProvider time, Exchange exchange, bool verifyTls, string fallbackHost, TimeSpan connectBudget) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectCallback = async (context, token) =>
        {
            var network = await guard.ConnectHttpAsync(context, connectBudget, connection =>
            {
                exchange.Dns ??= connection.DnsTime;
                exchange.Connect ??= connection.ConnectTime;
                exchange.Remote = connection.RemoteEndpointText ?? exchange.Remote;
                exchange.ConnectedAt = time.GetTimestamp();
            }, token);
            if (context.InitialRequestMessage.RequestUri?.Scheme != Uri.UriSchemeHttps)
            {
                return network;
            }

            // Keeps the first bytes the server sends, so a failed handshake can say what answered instead.
            var recorder = new HandshakeRecorder(network);
            exchange.Handshake = recorder;
            return recorder;
        },
        // Probes do not join the caller's trace: no traceparent, tracestate or Request-Id is sent to the target.
        ActivityHeadersPropagator = null,
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = TlsInspector.HandshakeChainPolicy(),
            // Never resume a session: the certificate judged must be the one this server presents on this run.
            AllowTlsResume = false,
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

    /// <summary>What was read of a body: at most <see cref="MaxBodyBytes"/>, and whether there was more.</summary>
    internal sealed record BodyRead(string Text, long Bytes, bool Truncated);

    /// <summary>
    /// Reads at most <see cref="MaxBodyBytes"/> (after decompression) and one byte more to know the
    /// body was longer, then stops: an endless or enormous body costs the probe 2 MB, not the timeout.
    /// </summary>
    internal static async Task<BodyRead> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (kept.Length <= MaxBodyBytes)
        {
            var wanted = (int)Math.Min(buffer.Length, MaxBodyBytes + 1 - kept.Length);
            var read = await stream.ReadAsync(buffer.AsMemory(0, wanted), cancellationToken);
            if (read == 0)
            {
                break;
            }

            kept.Write(buffer, 0, read);
        }

        var truncated = kept.Length > MaxBodyBytes;
        var length = (int)Math.Min(kept.Length, MaxBodyBytes);
        return new BodyRead(Encoding.UTF8.GetString(kept.GetBuffer(), 0, length), length, truncated);
    }

    /// <summary>The body's media type: the option, else a Content-Type among the headers, else JSON.</summary>
    private static string ContentTypeOf(HttpSettings options) =>
        !string.IsNullOrWhiteSpace(options.ContentType) ? options.ContentType.Trim()
        : options.Headers.FirstOrDefault(h => h.Name.Trim().Equals("Content-Type", StringComparison.OrdinalIgnoreCase))?.Value.Trim() is { Length: > 0 } header ? header
        : "application/json";

    /// <summary>
    /// Puts each header where HttpClient wants it: request headers on the request, content headers
    /// (Content-Language…) on the body — TryAddWithoutValidation on the request refuses those
    /// silently. Headers that cannot be sent are named in <paramref name="ignored"/> (first hop only).
    /// </summary>
    /// <param name="withCredentials">False on a hop to another origin: credentials the owner set for their own site are not handed to whoever it redirects to.</param>
    private static void AddHeaders(HttpRequestMessage message, IReadOnlyList<HttpHeader> headers, List<string>? ignored, bool withCredentials = true)
    {
        var ownAgent = false;
        foreach (var header in headers)
        {
            var name = header.Name.Trim();
            var value = header.Value;
            if (HttpSettings.IsForbiddenHeader(name))
            {
                ignored?.Add($"{name} (set by the probe)");
                continue;
            }

            if (!withCredentials && Redirects.IsCredential(name))
            {
                continue;
            }

            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                continue; // already the body's content type (ContentTypeOf); a GET has no body to describe
            }

            if (name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase))
            {
                ownAgent = true; // the owner's replaces ours rather than being appended to it
            }

            if (message.Headers.TryAddWithoutValidation(name, value))
            {
                continue;
            }

            if (message.Content is not null && message.Content.Headers.TryAddWithoutValidation(name, value))
            {
                continue;
            }

            ignored?.Add(message.Content is null && IsContentHeader(name) ? $"{name} (no body to describe)" : $"{name} (not a valid header)");
        }

        if (!ownAgent)
        {
            message.Headers.UserAgent.ParseAdd("Watchtower/1.0 (+status checks)");
        }
    }

    private static bool IsContentHeader(string name)
    {
        using var probe = new ByteArrayContent([]);
        return probe.Headers.TryAddWithoutValidation(name, "x");
    }
}
