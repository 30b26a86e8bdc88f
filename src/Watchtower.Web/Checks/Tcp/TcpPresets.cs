using System.Globalization;
using System.Text.Json;
using Watchtower.Probes.Tcp;

namespace Watchtower.Web.Checks.Tcp;

/// <summary>The port → service suggestions, for the form's script.</summary>
public static class TcpPresets
{
    public static readonly string PortMapJson = JsonSerializer.Serialize(
        new[] { 21, 22, 25, 110, 143, 465, 587, 993, 995, 2525, 3306, 3389, 5432, 6379 }
            .ToDictionary(p => p.ToString(CultureInfo.InvariantCulture), p => TcpServices.SuggestFor(p).ToString()));
}
