using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;

namespace Watchtower.Monitoring.State;

/// <summary>
/// The id of a result message, added when new and marked used today (see
/// <see cref="Data.Entities.ResultMessage.LastUsedOn"/>). Ids are remembered for the UTC day they
/// were marked, so a check that stays down costs one statement per distinct message per day in each
/// process, not one per run.
/// </summary>
public sealed class ResultMessages(TimeProvider time)
{
    /// <summary>Distinct messages remembered at most; past that the memory starts again (a day's touch is then repeated, nothing worse).</summary>
    public const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, (int Id, DateOnly Day)> known = new(StringComparer.Ordinal);

    public async Task<int> IdOfAsync(WatchtowerDbContext db, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(text);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (known.TryGetValue(text, out var remembered) && remembered.Day == today)
        {
            return remembered.Id;
        }

        // One statement on both stores, safe when several workers add the same message at once.
        var ids = await db.Database.SqlQuery<int>($"""
            INSERT INTO result_messages ("Text", "LastUsedOn") VALUES ({text}, {today})
            ON CONFLICT ("Text") DO UPDATE SET "LastUsedOn" = excluded."LastUsedOn"
            RETURNING "Id" AS "Value"
            """).ToListAsync(cancellationToken);
        var id = ids.Single();

        // Remembered only when the statement committed on its own: inside a caller's transaction
        // the row could still be rolled back, and a remembered id would then point at nothing.
        if (db.Database.CurrentTransaction is null)
        {
            if (known.Count >= MaxRemembered)
            {
                known.Clear();
            }

            known[text] = (id, today);
        }

        return id;
    }
}
