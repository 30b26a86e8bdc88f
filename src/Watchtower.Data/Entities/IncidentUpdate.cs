namespace Watchtower.Data.Entities;

/// <summary>One entry of an incident's timeline: the status it moved to and what the owner wrote (Markdown, sanitised when shown).</summary>
public sealed class IncidentUpdate
{
    public const int BodyMaxLength = 10_000;

    public long Id { get; set; }
    public int IncidentId { get; set; }
    public Incident? Incident { get; set; }
    public IncidentStatus Status { get; set; }

    /// <summary>Markdown source; rendered with Markdig and sanitised on display, never stored as HTML.</summary>
    public required string Body { get; set; }

    public DateTimeOffset At { get; set; }
}
