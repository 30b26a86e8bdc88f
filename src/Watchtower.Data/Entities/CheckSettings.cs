using Watchtower.Probes;
using Watchtower.Probes.Tcp;

namespace Watchtower.Data.Entities;

/// <summary>Turns a stored check into the probe request that runs it.</summary>
public static class CheckSettings
{
    public static ProbeRequest ToProbeRequest(this Check check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new ProbeRequest(check.Kind, check.Host, check.Port, TimeSpan.FromSeconds(check.TimeoutSeconds))
        {
            Tcp = new TcpProbeOptions
            {
                Service = check.Service,
                StartTls = check.StartTls,
                Send = check.Send,
                SendFormat = check.SendFormat,
                Expect = check.Expect,
                ExpectMode = check.ExpectMode,
                ReadTimeout = TimeSpan.FromSeconds(Math.Clamp(check.ReadTimeoutSeconds, 1, Math.Max(1, check.TimeoutSeconds))),
            },
        };
    }
}
