using System.Globalization;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure;

/// <summary>Words people read for states and times.</summary>
public static class StateText
{
    public static string Of(CheckState state) => state switch
    {
        CheckState.Up => "Operational",
        CheckState.Degraded => "Degraded",
        CheckState.Down => "Down",
        CheckState.Paused => "Paused",
        _ => "Pending",
    };

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is null)
        {
            return "never";
        }

        var span = now - at.Value;
        if (span < TimeSpan.FromSeconds(5))
        {
            return "just now";
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds} s ago");
        }

        if (span < TimeSpan.FromHours(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min ago");
        }

        return span < TimeSpan.FromDays(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h ago")
            : at.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    }

    public static string Latency(int? ms) => ms is null ? "—" : string.Create(CultureInfo.InvariantCulture, $"{ms} ms");

    public static string Utc(DateTimeOffset? at) =>
        at is null ? "" : at.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
