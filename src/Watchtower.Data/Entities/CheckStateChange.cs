namespace Watchtower.Data.Entities;

/// <summary>A recorded transition of a check's state, with its time and reason.</summary>
public sealed class CheckStateChange
{
    public long Id { get; set; }
    public int CheckId { get; set; }
    public DateTimeOffset At { get; set; }
    public CheckState From { get; set; }
    public CheckState To { get; set; }
    /// <summary>Why, in words: the message of the run that caused it, or the owner's action.</summary>
    public required string Reason { get; set; }

    /// <summary>The full facts of the run that caused the change (JSON, see ResultFacts); null for a pause, resume or restart.</summary>
    public string? Facts { get; set; }
}
