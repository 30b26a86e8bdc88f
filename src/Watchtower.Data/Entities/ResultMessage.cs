namespace Watchtower.Data.Entities;

/// <summary>
/// A distinct message of runs that were not up, stored once and referenced by each result that
/// said it: a check that stays down for a month writes the same sentence 86,400 times.
/// </summary>
public sealed class ResultMessage
{
    public int Id { get; set; }

    /// <summary>Unique: the text is its own key (at most <see cref="Check.MessageMaxLength"/> characters, which an index holds).</summary>
    public required string Text { get; set; }

    /// <summary>
    /// The UTC day a result last referenced it. Retention deletes messages unused for longer than
    /// results are kept: every result that refers to one was written on or before this day.
    /// </summary>
    public DateOnly LastUsedOn { get; set; }
}
