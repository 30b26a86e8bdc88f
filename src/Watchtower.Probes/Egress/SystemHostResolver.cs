using System.Net;

namespace Watchtower.Probes.Egress;

public sealed class SystemHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        System.Net.Dns.GetHostAddressesAsync(host, cancellationToken);
}
