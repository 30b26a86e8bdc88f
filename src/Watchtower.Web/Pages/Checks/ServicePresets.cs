using System.Text.Json;
using Watchtower.Probes.Tcp;

namespace Watchtower.Web.Pages.Checks;

/// <summary>The port → service suggestions, for the form's script.</summary>
public static class ServicePresets
{
    public static readonly string PortMapJson = JsonSerializer.Serialize(
        new[] { 21, 22, 25, 110, 143, 465, 587, 993, 995, 2525, 3306, 3389, 5432, 6379 }
            .ToDictionary(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture), p => TcpServices.SuggestFor(p).ToString()));
}
