using System.Net;

namespace Watchtower.Probes.Egress;

/// <summary>Turns a host name into addresses. The system resolver in production.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
