using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Tests.Tcp;

/// <summary>The probes as the hosts compose them (AddWatchtowerProbes), allowed to dial loopback.</summary>
internal static class TestProbes
{
    public static ProbeRunner Runner(X509Certificate2? trustedRoot = null, bool allowPrivate = true)
    {
        var services = new ServiceCollection();
        services.AddWatchtowerProbes();
        services.Configure<EgressOptions>(o => o.AllowPrivateTargets = allowPrivate);
        services.Configure<TlsOptions>(o =>
        {
            if (trustedRoot is not null)
            {
                o.TrustedRoots.Add(trustedRoot);
            }
        });
        return services.BuildServiceProvider().GetRequiredService<ProbeRunner>();
    }

    public static ProbeRequest Tcp(int port, TcpService service, string host = "127.0.0.1", bool startTls = false, double timeoutSeconds = 10,
        double readTimeoutSeconds = 5, string? tlsServerName = "localhost") =>
        new(ProbeKind.Tcp, host, port, TimeSpan.FromSeconds(timeoutSeconds))
        {
            Tcp = new TcpProbeOptions
            {
                Service = service,
                StartTls = startTls,
                ReadTimeout = TimeSpan.FromSeconds(readTimeoutSeconds),
                TlsServerName = tlsServerName,
            },
        };

    public static Task<ProbeResult> RunAsync(this ProbeRunner runner, ProbeRequest request) =>
        runner.RunAsync(request, TestContext.Current.CancellationToken);
}
