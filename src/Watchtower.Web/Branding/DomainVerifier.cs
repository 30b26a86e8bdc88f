using System.Net;
using DnsClient;
using Microsoft.Extensions.Options;

namespace Watchtower.Web.Branding;

/// <summary>Looks up _watchtower.&lt;domain&gt; TXT (DnsClient, against the configured resolvers) for a page's token.</summary>
public sealed class DomainVerifier(IOptions<StatusPageOptions> options, ILogger<DomainVerifier> logger)
{
    public sealed record Outcome(bool Verified, string Message);

    public async Task<Outcome> VerifyAsync(string domain, string token, CancellationToken cancellationToken)
    {
        var name = DomainNames.RecordName(domain);
        var expected = DomainNames.RecordValue(token);
        var client = CreateClient();
        try
        {
            var answer = await client.QueryAsync(name, QueryType.TXT, QueryClass.IN, cancellationToken);
            if (answer.HasError && answer.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
            {
                return new Outcome(false, $"The DNS lookup of {name} failed ({answer.ErrorMessage}). Try again in a few minutes.");
            }

            var texts = answer.Answers.TxtRecords().SelectMany(r => r.Text).ToList();
            if (texts.Contains(expected, StringComparer.Ordinal))
            {
                return new Outcome(true, $"{domain} is verified.");
            }

            return texts.Count == 0
                ? new Outcome(false, $"No TXT record was found at {name}. Add it (DNS changes can take a few minutes to show) and press Verify again.")
                : new Outcome(false, $"The TXT record at {name} does not hold this page's value. Set it to {expected} and press Verify again.");
        }
        catch (DnsResponseException ex)
        {
            logger.LogInformation(ex, "TXT lookup of {Name} failed", name);
            return new Outcome(false, $"The DNS lookup of {name} failed: no answer from the resolver. Try again in a few minutes.");
        }
    }

    private LookupClient CreateClient()
    {
        var servers = options.Value.DnsServers.Select(Parse).ToArray();
        var settings = servers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(servers);
        settings.UseCache = false;
        settings.Timeout = TimeSpan.FromSeconds(3);
        settings.Retries = 1;
        settings.ThrowDnsErrors = false;
        settings.ContinueOnDnsError = false;
        return new LookupClient(settings);
    }

    private static IPEndPoint Parse(string server) =>
        IPEndPoint.TryParse(server, out var endpoint)
            ? (endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint)
            : throw new InvalidOperationException($"{StatusPageOptions.SectionName}:DnsServers: '{server}' is not an address (such as 1.1.1.1 or 127.0.0.1:5353).");
}
