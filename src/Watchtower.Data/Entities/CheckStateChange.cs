namespace Watchtower.Data.Entities;

/// <summary>A recorded transition of a check's state, with its time and reason.</summary>
public sealed class CheckStateChange
{
    public long Id { get; set; }
    public int CheckId { get; set; }
    public DateTimeOffset At { get; set; }
    public CheckState From { get; set; }
    public CheckState To { get; set; }
    public required string Reason { get; set; }
}
