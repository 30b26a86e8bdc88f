using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Tcp;

namespace Watchtower.Probes;

public static class ProbesServiceCollectionExtensions
{
    /// <summary>The egress guard, every probe and the runner. The host binds <see cref="EgressOptions"/>.</summary>
    public static IServiceCollection AddWatchtowerProbes(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EgressOptions>();
        services.TryAddSingleton<IHostResolver, SystemHostResolver>();
        services.TryAddSingleton(sp => new EgressGuard(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EgressOptions>>(),
            sp.GetRequiredService<IHostResolver>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IProbe, TcpProbe>();
        services.TryAddSingleton<ProbeRunner>();
        return services;
    }
}
