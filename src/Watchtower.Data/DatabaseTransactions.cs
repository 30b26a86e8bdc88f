using Microsoft.EntityFrameworkCore;

namespace Watchtower.Data;

/// <summary>
/// The one way to run several database steps as one transaction. On PostgreSQL the context retries
/// transient failures (<see cref="DataServiceCollectionExtensions"/>), and EF Core refuses a
/// transaction begun outside its execution strategy ("does not support user-initiated
/// transactions"): the strategy must be able to replay the whole unit, not one statement of it.
/// </summary>
public static class DatabaseTransactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction inside the context's execution strategy and
    /// commits it. When a transient failure interrupts it, the transaction is rolled back and
    /// <paramref name="work"/> runs again from the start, so it must load what it changes itself:
    /// the change tracker is cleared before every attempt (entities loaded before the call are detached).
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        return db.Database.CreateExecutionStrategy().ExecuteAsync(
            (db, work),
            static async (_, state, ct) =>
            {
                var (context, unit) = state;
                // A failed attempt leaves its entities tracked as added or modified (their saves were
                // rolled back): start each attempt from what the database holds.
                context.ChangeTracker.Clear();
                await using var transaction = await context.Database.BeginTransactionAsync(ct);
                var result = await unit(ct);
                await transaction.CommitAsync(ct);
                return result;
            },
            verifySucceeded: null,
            cancellationToken);
    }

    /// <inheritdoc cref="InTransactionAsync{T}(DbContext, Func{CancellationToken, Task{T}}, CancellationToken)"/>
    public static Task InTransactionAsync(this DbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return db.InTransactionAsync(async ct =>
        {
            await work(ct);
            return true;
        }, cancellationToken);
    }
}
