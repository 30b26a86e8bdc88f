using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Watchtower.Probes.Egress;

namespace Watchtower.Probes.Tests.Egress;

/// <summary>
/// The suite's DNS: fixed answers per name, and for a rebinding name a different answer on each
/// lookup (the last one repeats). Counts lookups per name. Names under ".seo.lab.test" are the
/// lab's web server, whatever their first labels say.
/// </summary>
internal sealed class LabResolver(IReadOnlyDictionary<string, IPAddress[][]> answers) : IHostResolver
{
    public const string SeoSuffix = ".seo.lab.test";

    private readonly ConcurrentDictionary<string, int> lookups = new(StringComparer.OrdinalIgnoreCase);

    public int Lookups(string name) => lookups.GetValueOrDefault(name);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var n = lookups.AddOrUpdate(host, 1, (_, count) => count + 1);
        if (host.EndsWith(SeoSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(new[] { IPAddress.Loopback });
        }

        return answers.TryGetValue(host, out var sequence)
            ? Task.FromResult(sequence[Math.Min(n, sequence.Length) - 1])
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
