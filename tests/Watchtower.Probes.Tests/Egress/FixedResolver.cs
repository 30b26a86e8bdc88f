using System.Net;
using System.Net.Sockets;
using Watchtower.Probes.Egress;

namespace Watchtower.Probes.Tests.Egress;

/// <summary>A resolver with fixed answers: DNS is not what these tests are about.</summary>
internal sealed class FixedResolver(Dictionary<string, IPAddress[]> answers) : IHostResolver
{
    public int Lookups { get; private set; }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups++;
        return answers.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
