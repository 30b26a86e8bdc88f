using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Evaluation;
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
        int readTimeoutSeconds = 5, string? tlsServerName = "localhost") =>
        new(new TcpSettings
        {
            Host = host,
            Port = port,
            Service = service,
            StartTls = startTls,
            ReadTimeoutSeconds = readTimeoutSeconds,
            CertificateName = tlsServerName,
        }, TimeSpan.FromSeconds(timeoutSeconds));

    /// <summary>A custom check: optional bytes to send and an expectation on the reply.</summary>
    public static ProbeRequest Custom(int port, string? send, string? expect, ExpectMode mode = ExpectMode.Contains,
        PayloadFormat format = PayloadFormat.Text, int readTimeoutSeconds = 5) =>
        new(new TcpSettings
        {
            Host = "127.0.0.1",
            Port = port,
            Service = TcpService.Custom,
            Send = send,
            SendFormat = format,
            Expect = expect,
            ExpectMode = mode,
            ReadTimeoutSeconds = readTimeoutSeconds,
        }, TimeSpan.FromSeconds(10));

    /// <summary>
    /// Runs the probe and the evaluator, as the engine does: the result's facts, with Success, Reason
    /// and Message as judged (Success means not down; degraded is a success with a reason).
    /// </summary>
    public static async Task<ProbeResult> RunAsync(this ProbeRunner runner, ProbeRequest request)
    {
        var (result, verdict) = await runner.JudgeAsync(request);
        return result with { Success = verdict.Status != Health.Down, Reason = verdict.Reason, Message = verdict.Message };
    }

    /// <summary>Runs the probe, then the evaluator: the facts and the verdict.</summary>
    public static async Task<(ProbeResult Result, Verdict Verdict)> JudgeAsync(this ProbeRunner runner, ProbeRequest request)
    {
        var result = await runner.RunAsync(request, TestContext.Current.CancellationToken);
        return (result, CheckEvaluator.Evaluate(request, result, DateTimeOffset.UtcNow));
    }
}
