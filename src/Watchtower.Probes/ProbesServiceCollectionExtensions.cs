using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tcp.Protocols;
using Watchtower.Probes.Tls;

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
        services.AddOptions<TlsOptions>();
        services.TryAddSingleton<TlsInspector>();
        services.AddSingleton<ITcpConversation, SmtpConversation>();
        services.AddSingleton<ITcpConversation, ImapConversation>();
        services.AddSingleton<ITcpConversation, Pop3Conversation>();
        services.AddSingleton<ITcpConversation, FtpConversation>();
        services.AddSingleton<ITcpConversation, SshConversation>();
        services.AddSingleton<ITcpConversation, MySqlConversation>();
        services.AddSingleton<ITcpConversation, PostgresConversation>();
        services.AddSingleton<ITcpConversation, RedisConversation>();
        services.AddSingleton<ITcpConversation, RdpConversation>();
        services.AddSingleton<ITcpConversation, CustomConversation>();
        services.AddSingleton<IProbe, TcpProbe>();
        services.AddSingleton<IProbe, Ssl.SslProbe>();
        services.AddSingleton<IProbe, Dns.DnsProbe>();
        services.AddSingleton<IProbe, Http.HttpProbe>();
        services.AddSingleton<IProbe, Seo.SeoProbe>();
        services.TryAddSingleton<ProbeRunner>();
        return services;
    }
}
