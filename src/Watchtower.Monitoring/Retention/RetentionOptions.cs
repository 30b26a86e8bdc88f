using System.ComponentModel.DataAnnotations;

namespace Watchtower.Monitoring.Retention;

/// <summary>Bound from <c>Watchtower:Retention</c> and validated when the host starts: a bad value stops it with the setting's name.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Watchtower:Retention";

    /// <summary>
    /// Days of raw results kept. Older ones are deleted (SQLite) or their day dropped whole
    /// (PostgreSQL, which so keeps up to a day more). The latest run's facts, state changes and
    /// rollups are not raw results and stay.
    /// </summary>
    [Range(1, 3650, ErrorMessage = SectionName + ":ResultDays must be from {1} to {2} (days of raw check results to keep).")]
    public int ResultDays { get; set; } = 30;

    public TimeSpan ResultsKeptFor => TimeSpan.FromDays(ResultDays);
}
