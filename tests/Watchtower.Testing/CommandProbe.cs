using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Watchtower.Data;

namespace Watchtower.Testing;

/// <summary>
/// Watches the SQL one app sends (an EF Core interceptor on its own context, so tests running in
/// parallel do not count each other's queries), and can make chosen commands fail the way a
/// PostgreSQL restart makes them fail: a transient <see cref="NpgsqlException"/> over a broken stream.
/// </summary>
public sealed class CommandProbe : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> commands = new();
    private readonly Lock gate = new();
    private Func<string, bool>? failWhen;
    private int failuresLeft;

    /// <summary>What to pass as <see cref="AppOptions.ConfigureServices"/>.</summary>
    public Action<IServiceCollection> Install => services =>
        services.ConfigureDbContext<WatchtowerDbContext>(options => options.AddInterceptors(this));

    /// <summary>Every command text sent so far, in order.</summary>
    public IReadOnlyList<string> Commands => [.. commands];

    /// <summary>How many commands sent so far contain <paramref name="fragment"/> (case-insensitive).</summary>
    public int Count(string fragment) => commands.Count(c => c.Contains(fragment, StringComparison.OrdinalIgnoreCase));

    /// <summary>How many failures armed by <see cref="FailNext"/> have not happened yet.</summary>
    public int FailuresLeft
    {
        get
        {
            lock (gate)
            {
                return failuresLeft;
            }
        }
    }

    /// <summary>The next <paramref name="times"/> commands whose text matches fail with a transient error before they reach the server.</summary>
    public void FailNext(Func<string, bool> match, int times = 1)
    {
        lock (gate)
        {
            failWhen = match;
            failuresLeft = times;
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    private void Seen(DbCommand command)
    {
        commands.Enqueue(command.CommandText);
        lock (gate)
        {
            if (failuresLeft > 0 && failWhen?.Invoke(command.CommandText) == true)
            {
                failuresLeft--;
                throw new NpgsqlException("Exception while reading from stream (injected by the test)", new IOException("Connection reset by peer (injected by the test)"));
            }
        }
    }
}
