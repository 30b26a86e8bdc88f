using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Probes.Egress;
using Watchtower.Web.Checks;
using static Watchtower.Probes.Tests.Egress.Outcome;

namespace Watchtower.Probes.Tests.Egress;

/// <summary>
/// The SSRF suite: every vector of <see cref="SsrfVectors"/>, with private targets off and on. Each
/// case runs the check's form validator (the one the pages and the API use) and the probe as the
/// engine runs it, on the raw value (a stored or API-made check skips the form), and then proves
/// what was and was not dialled three ways: the trap and home listeners' accept counts, a UDP trap's
/// datagram count, and the process's own socket log — no connect may go to an address this mode's
/// guard refuses. Names resolve through the guard's resolver seam (a fixed resolver).
/// </summary>
public sealed class SsrfSuiteTests(SsrfSite site) : IClassFixture<SsrfSite>
{
    private static readonly IPAddress Home = IPAddress.Loopback;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static TheoryData<string, Mode> Cases()
    {
        var cases = new TheoryData<string, Mode>();
        foreach (var vector in SsrfVectors.All)
        {
            cases.Add(vector.Name, Mode.PrivateOff);
            cases.Add(vector.Name, Mode.PrivateOn);
        }

        return cases;
    }

    [Fact]
    public void The_suite_holds_at_least_60_distinct_vectors_across_all_five_kinds()
    {
        var names = SsrfVectors.All.Select(v => v.Name).ToList();
        var kinds = SsrfVectors.All.Select(v => v.Name.Split(' ')[0]).Distinct().Order(StringComparer.Ordinal);

        Assert.True(names.Count >= 60, $"{names.Count} vectors");
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["dns", "http", "seo", "ssl", "tcp"], kinds);
        Assert.All(SsrfVectors.All, v => Assert.True(v.Off != Dialled || v.Named.Length > 0, $"{v.Name}: with private targets off only a named address may be dialled"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task No_vector_reaches_an_address_the_guard_refuses(string vector, Mode mode)
    {
        var v = SsrfVectors.All.Single(x => x.Name == vector);
        var expected = mode == Mode.PrivateOff ? v.Off : v.On;
        await using var lab = await SsrfLab.StartAsync(site);
        var resolver = new LabResolver(SsrfVectors.Names);
        await using var probes = Compose(mode, v.Named, resolver);
        var guard = probes.GetRequiredService<EgressGuard>();
        var settings = v.Settings(lab);

        // The form: the kind's own validator with this installation's guard.
        var errors = new FieldErrors();
        CheckKinds.Of(settings.Kind).Validate(settings, new CheckValidation(60, guard.WhyBlocked), errors.Under(settings.Kind.ToString()));
        var field = $"{settings.Kind}.{(settings.Kind is ProbeKind.Tcp or ProbeKind.Ssl ? "Host" : settings.Kind == ProbeKind.Dns ? "Resolver" : "Url")}";
        var formRefuses = expected is Refused or Unreadable or RefusedDialled;
        Assert.True(formRefuses == errors.Has(field),
            $"the form {(formRefuses ? "must refuse" : "must accept")} {field}: {string.Join(" ", errors.ByField.GetValueOrDefault(field) ?? [])}");

        // The probe, as the engine runs it, on the value as written.
        var mark = DialLog.Instance.Mark;
        var result = await probes.GetRequiredService<ProbeRunner>().RunAsync(new ProbeRequest(settings, Timeout), TestContext.Current.CancellationToken);
        var dials = DialLog.Instance.Since(mark);

        bool IsLab(IPEndPoint dial, IPAddress address) => dial.Port == lab.P && Judged(dial.Address).Equals(address);
        var trapDials = dials.Where(d => IsLab(d, SsrfLab.TrapAddress)).ToList();
        var homeDials = dials.Where(d => IsLab(d, Home) || IsLab(d, IPAddress.Any)).ToList();
        var leaks = dials.Where(d => !IsLoopback(d.Address) && guard.WhyBlocked(d.Address) is not null).ToList();
        Assert.True(leaks.Count == 0, $"dialled what the guard refuses: {string.Join(", ", leaks)}");

        switch (expected)
        {
            case Refused or Blocked:
                Assert.True(result.Reason == FailureReason.Blocked, $"{result.Reason}: {result.Message}");
                Assert.Contains(v.Says ?? "", result.Message, StringComparison.Ordinal);
                await NothingDialledAsync();
                break;
            case Unreadable:
                Assert.True(result.Reason == FailureReason.Error, $"{result.Reason}: {result.Message}");
                await NothingDialledAsync();
                break;
            case Finding:
                Assert.True(result.Success, $"{result.Reason}: {result.Message}");
                var finding = Assert.Single(result.Seo!, f => f.Rule == v.Rule);
                Assert.Contains("was not fetched", finding.Message, StringComparison.Ordinal);
                Assert.Contains(v.Says ?? "", finding.Message, StringComparison.Ordinal);
                Assert.Contains("refused by the egress guard", finding.Evidence, StringComparison.Ordinal);
                await NothingDialledAsync();
                break;
            case Dialled or RefusedDialled:
                Assert.True(result.Reason != FailureReason.Blocked, result.Message);
                Assert.True(trapDials.Count > 0 || await EventuallyAsync(() => lab.Udp.Received > 0), "the trap was dialled");
                if (trapDials.Any(d => d.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
                {
                    Assert.True(await EventuallyAsync(() => lab.Trap.Accepted > 0), "the socket log and the trap agree");
                }

                break;
            case Checked:
                Assert.True(result.Reason != FailureReason.Blocked, result.Message);
                Assert.NotEmpty(homeDials);
                Assert.True(await EventuallyAsync(() => lab.Home.Accepted > 0), "home, the checked address, answered");
                Assert.True(trapDials.Count == 0, $"the trap was dialled: {string.Join(", ", trapDials)} ({result.Reason}: {result.Message}; {resolver.Lookups(v.Rebinds ?? "")} lookups)");
                Assert.Equal(0, lab.Trap.Accepted);
                if (v.Rebinds is { } name)
                {
                    Assert.Equal(1, resolver.Lookups(name));
                }

                break;
        }

        async Task NothingDialledAsync()
        {
            Assert.Empty(trapDials);
            Assert.Empty(homeDials);
            await Task.Delay(20, TestContext.Current.CancellationToken); // an accept in flight would land by now
            Assert.Equal(0, lab.Trap.Accepted);
            Assert.Equal(0, lab.Home.Accepted);
            Assert.Equal(0, lab.Udp.Received);
        }
    }

    /// <summary>The probes as the hosts compose them, with this mode's settings and the lab's resolver.</summary>
    private static ServiceProvider Compose(Mode mode, string[] named, LabResolver resolver)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IHostResolver>(resolver);
        services.AddWatchtowerProbes();
        services.Configure<EgressOptions>(o =>
        {
            o.AllowPrivateTargets = mode == Mode.PrivateOn;
            o.AllowedAddresses.Add(Home.ToString()); // the lab's own servers, as an operator names an appliance
            foreach (var entry in named)
            {
                o.AllowedAddresses.Add(entry);
            }
        });
        return services.BuildServiceProvider();
    }

    /// <summary>The IPv4 address a mapped, NAT64 or 6to4 address carries (the host it reaches); others as they are.</summary>
    private static IPAddress Judged(IPAddress address) => new(AddressRules.JudgedAs(address).Last().GetAddressBytes());

    private static bool IsLoopback(IPAddress address) => IPAddress.IsLoopback(Judged(address));

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 60 && !condition(); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return condition();
    }
}
