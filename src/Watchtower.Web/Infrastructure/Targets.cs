using System.Globalization;

namespace Watchtower.Web.Infrastructure;

public static class Targets
{
    /// <summary>"db.example.com:5432", "203.0.113.5:25", "[2001:db8::1]:22".</summary>
    public static string Display(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{host}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
}
