using System.Globalization;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Watchtower.Probes.Egress;

namespace Watchtower.Probes.Dns;

/// <summary>
/// DNS check with DnsClient: one question to the chosen resolver (UDP, TCP when truncated), the
/// response code, the answers with TTLs and the server that answered. A resolver the owner names
/// passes the egress guard like any target; a resolver that never answers is a timeout.
/// </summary>
public sealed class DnsProbe(EgressGuard guard, TimeProvider time) : IProbe
{
    public ProbeKind Kind => ProbeKind.Dns;

    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Dns;
        var started = time.GetUtcNow();
        NameServer[] servers;
        if (options.Resolver is { Length: > 0 } resolver)
        {
            if (!TryParseResolver(resolver, out var endpoint))
            {
                return ProbeResult.Failed(FailureReason.Error, $"“{resolver}” is not a resolver address (an IP with an optional port).") with { StartedAt = started };
            }

            if (guard.WhyBlocked(endpoint.Address) is { } blocked)
            {
                return ProbeResult.Failed(FailureReason.Blocked, blocked) with { StartedAt = started };
            }

            servers = [new NameServer(endpoint)];
        }
        else
        {
            servers = [.. NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)];
        }

        var client = new LookupClient(new LookupClientOptions(servers)
        {
            UseCache = false,
            Retries = 0,
            Timeout = request.Timeout,
            UseTcpFallback = true,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
        });

        var question = options.RecordType == DnsRecordType.PTR && IPAddress.TryParse(request.Host, out var reverse)
            ? reverse.GetArpaName()
            : request.Host;
        var queryStarted = time.GetTimestamp();
        IDnsQueryResponse response;
        try
        {
            response = await client.QueryAsync(question, ToQueryType(options.RecordType), QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException ex) when (ex.Code is DnsResponseCode.ConnectionTimeout)
        {
            var who = servers.Length == 1 ? servers[0].ToString() : "The resolvers";
            return ProbeResult.Failed(FailureReason.Timeout, $"{who} did not answer within {EgressGuard.Seconds(request.Timeout)}.") with { StartedAt = started };
        }
        catch (DnsResponseException ex)
        {
            return ProbeResult.Failed(FailureReason.Dns, $"The DNS query for {question} failed: {ex.Message}") with { StartedAt = started };
        }

        var elapsed = time.GetElapsedTime(queryStarted);
        var code = ResponseCodeName(response.Header.ResponseCode);
        var answers = response.Answers.Where(r => r.RecordType == (ResourceRecordType)ToQueryType(options.RecordType))
            .Select(r => new DnsAnswer(Value(r), r.InitialTimeToLive)).ToList();
        var facts = new DnsFacts { ResponseCode = code, Answers = answers, Server = response.NameServer.ToString() };
        var result = new ProbeResult
        {
            Success = false,
            Message = "",
            StartedAt = started,
            Timings = new ProbeTimings { Dns = elapsed, FirstByte = elapsed },
            RemoteEndpoint = response.NameServer.ToString(),
            Dns = facts,
            Banner = answers.Count == 0 ? code : string.Join(", ", answers.Select(a => a.Value)),
        };

        if (code != "NOERROR")
        {
            return result with { Reason = FailureReason.Dns, Message = $"{response.NameServer} answered {code} for {question} {options.RecordType}." };
        }

        var (ok, why) = Judge(options, answers);
        return ok
            ? result with { Success = true, Message = $"{options.RecordType} {question}: {Summarize(answers)} (from {response.NameServer} in {(int)elapsed.TotalMilliseconds} ms)." }
            : result with { Reason = FailureReason.UnexpectedResponse, Message = $"{options.RecordType} {question}: {why}" };
    }

    private static (bool Ok, string Why) Judge(DnsProbeOptions options, List<DnsAnswer> answers)
    {
        if (answers.Count == 0)
        {
            return (false, "no answer records.");
        }

        var got = answers.Select(a => Normalize(options.RecordType, a.Value)).ToHashSet(StringComparer.Ordinal);
        var want = options.Values.Select(v => Normalize(options.RecordType, v)).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
        return options.Expectation switch
        {
            DnsExpectation.Contains when !want.IsSubsetOf(got) =>
                (false, $"the answers {Summarize(answers)} do not include {string.Join(", ", want.Except(got))}."),
            DnsExpectation.Equals when !want.SetEquals(got) =>
                (false, $"the answers {Summarize(answers)} are not exactly {string.Join(", ", want)}."),
            _ => (true, ""),
        };
    }

    /// <summary>
    /// The form values are compared in. Names (A/AAAA aside: canonical IPs) ignore case and a trailing
    /// dot; TXT contents and CAA values are data and keep their case (a verification token differs
    /// by case). Runs of spaces count as one.
    /// </summary>
    private static string Normalize(DnsRecordType type, string value)
    {
        var trimmed = value.Trim();
        if (type is DnsRecordType.A or DnsRecordType.AAAA && IPAddress.TryParse(trimmed, out var address))
        {
            return address.ToString();
        }

        if (type == DnsRecordType.TXT)
        {
            return trimmed;
        }

        var parts = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (type == DnsRecordType.CAA)
        {
            // flags tag "value": tags are case-insensitive (RFC 8659 §4.1), the value is compared as given.
            return parts.Length < 3 ? trimmed : $"{parts[0]} {parts[1].ToLowerInvariant()} {string.Join(' ', parts[2..])}";
        }

        return string.Join(' ', parts.Select(p => p.TrimEnd('.').ToLowerInvariant()));
    }

    private static string Summarize(List<DnsAnswer> answers) =>
        answers.Count == 0 ? "none" : string.Join(", ", answers.Take(10).Select(a => a.Value)) + (answers.Count > 10 ? $" and {answers.Count - 10} more" : "");

    private static string Value(DnsResourceRecord record) => record switch
    {
        ARecord a => a.Address.ToString(),
        AaaaRecord aaaa => aaaa.Address.ToString(),
        CNameRecord cname => cname.CanonicalName.Value.TrimEnd('.'),
        MxRecord mx => string.Create(CultureInfo.InvariantCulture, $"{mx.Preference} {mx.Exchange.Value.TrimEnd('.')}"),
        NsRecord ns => ns.NSDName.Value.TrimEnd('.'),
        TxtRecord txt => string.Concat(txt.Text),
        CaaRecord caa => string.Create(CultureInfo.InvariantCulture, $"{caa.Flags} {caa.Tag} \"{caa.Value}\""),
        SoaRecord soa => string.Create(CultureInfo.InvariantCulture, $"{soa.MName.Value.TrimEnd('.')} {soa.RName.Value.TrimEnd('.')} {soa.Serial}"),
        SrvRecord srv => string.Create(CultureInfo.InvariantCulture, $"{srv.Priority} {srv.Weight} {srv.Port} {srv.Target.Value.TrimEnd('.')}"),
        PtrRecord ptr => ptr.PtrDomainName.Value.TrimEnd('.'),
        _ => record.ToString(),
    };

    private static QueryType ToQueryType(DnsRecordType type) => type switch
    {
        DnsRecordType.AAAA => QueryType.AAAA,
        DnsRecordType.CNAME => QueryType.CNAME,
        DnsRecordType.MX => QueryType.MX,
        DnsRecordType.NS => QueryType.NS,
        DnsRecordType.TXT => QueryType.TXT,
        DnsRecordType.CAA => QueryType.CAA,
        DnsRecordType.SOA => QueryType.SOA,
        DnsRecordType.SRV => QueryType.SRV,
        DnsRecordType.PTR => QueryType.PTR,
        _ => QueryType.A,
    };

    private static string ResponseCodeName(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.NoError => "NOERROR",
        DnsHeaderResponseCode.NotExistentDomain => "NXDOMAIN",
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        _ => code.ToString().ToUpperInvariant(),
    };

    /// <summary>"203.0.113.53", "203.0.113.53:5353", "2001:db8::53", "[2001:db8::53]:5353".</summary>
    public static bool TryParseResolver(string text, out IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        endpoint = null!;
        var trimmed = text.Trim();
        if (IPAddress.TryParse(trimmed, out var bare) && !trimmed.StartsWith('['))
        {
            endpoint = new IPEndPoint(bare, 53);
            return true;
        }

        if (IPEndPoint.TryParse(trimmed, out var parsed) && parsed.Port > 0)
        {
            endpoint = parsed;
            return true;
        }

        return false;
    }
}
