using System.Globalization;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Evaluation;

namespace Watchtower.Probes.Dns;

/// <summary>
/// DNS check with DnsClient: one question to the chosen resolver (UDP with TCP when truncated, or
/// TCP only), the response code, the answers with TTLs and the server that answered. A resolver the owner names
/// passes the egress guard like any target; a resolver that never answers is a timeout.
/// </summary>
public sealed class DnsProbe(EgressGuard guard, TimeProvider time) : Probe<DnsSettings>(ProbeKind.Dns)
{
    protected override async Task<ProbeResult> ProbeAsync(DnsSettings options, TimeSpan timeout, CancellationToken cancellationToken)
    {
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
            Timeout = timeout,
            UseTcpFallback = true,
            UseTcpOnly = options.Transport == DnsTransport.Tcp,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
        });

        var question = options.RecordType == DnsRecordType.PTR && IPAddress.TryParse(options.Name, out var reverse)
            ? reverse.GetArpaName()
            : options.Name;
        var queryStarted = time.GetTimestamp();
        IDnsQueryResponse response;
        try
        {
            response = await client.QueryAsync(question, ToQueryType(options.RecordType), QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException ex) when (ex.Code is DnsResponseCode.ConnectionTimeout)
        {
            var who = servers.Length == 1 ? servers[0].ToString() : "The resolvers";
            return ProbeResult.Failed(FailureReason.Timeout, $"{who} did not answer within {EgressGuard.Seconds(timeout)}.") with { StartedAt = started };
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
        var over = options.Transport == DnsTransport.Tcp ? " over TCP" : "";
        return new ProbeResult
        {
            // A response arrived: what it says (the code, the answers) is the evaluator's to judge.
            Success = true,
            Message = code == "NOERROR"
                ? $"{options.RecordType} {question}: {DnsValues.Summarize(answers)} (from {response.NameServer}{over} in {(int)elapsed.TotalMilliseconds} ms)."
                : $"{response.NameServer} answered {code} for {question} {options.RecordType}{over}.",
            StartedAt = started,
            Timings = new ProbeTimings { Dns = elapsed, FirstByte = elapsed },
            RemoteEndpoint = response.NameServer.ToString(),
            Dns = facts,
            Banner = answers.Count == 0 ? code : string.Join(", ", answers.Select(a => a.Value)),
        };
    }

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

    /// <summary>
    /// "203.0.113.53", "203.0.113.53:5353", "2001:db8::53", "[2001:db8::53]:5353". IPv4 only as four
    /// decimal numbers: .NET would also read 0x7f.1, 2130706433 or 0177.0.0.1, and an address that
    /// reads differently to different parsers has no place in a check.
    /// </summary>
    public static bool TryParseResolver(string text, out IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        endpoint = null!;
        var trimmed = text.Trim();
        if (IPAddress.TryParse(trimmed, out var bare) && !trimmed.StartsWith('['))
        {
            endpoint = new IPEndPoint(bare, 53);
            return IsPlain(bare, trimmed);
        }

        if (IPEndPoint.TryParse(trimmed, out var parsed) && parsed.Port > 0)
        {
            endpoint = parsed;
            return IsPlain(parsed.Address, trimmed[..trimmed.LastIndexOf(':')]);
        }

        return false;

        static bool IsPlain(IPAddress address, string written) =>
            address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || address.ToString() == written;
    }
}
