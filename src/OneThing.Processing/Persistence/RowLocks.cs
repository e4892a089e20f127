using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OneThing.Processing.Persistence;

/// <summary>
/// Row locks for LINQ queries, which have no locking clause of their own: a query tagged with one of these constants
/// (<c>TagWith</c>) gets the clause appended by <see cref="RowLockClause"/>. Compiled LINQ, unlike the same lock as
/// raw SQL (<c>FromSql</c>), has its SQL generated once: FromSql generated it at every run, ~65 µs of a ~300 µs lock in
/// a warm loop here, and the command cache's monitor was the most contended one in the sweep's profile.
/// </summary>
public static class RowLocks
{
    private const string Prefix = "row lock: ";

    /// <summary>The case lock (see <see cref="Cases.CaseLocks"/>); it locks the rows of the outermost query only.</summary>
    public const string ForNoKeyUpdate = Prefix + "FOR NO KEY UPDATE";

    /// <summary>A row held while work outside the database is done for it (a notification being sent).</summary>
    public const string ForUpdate = Prefix + "FOR UPDATE";

    /// <summary>A timer claim: only the timers row (alias t), never the task joined to it, and not waiting for another host.</summary>
    public const string TimerClaim = Prefix + "FOR UPDATE OF t SKIP LOCKED";

    /// <summary>A batch claimed by one of several hosts working side by side (the outbox relay): rows another host holds are passed over.</summary>
    public const string SkipLocked = Prefix + "FOR UPDATE SKIP LOCKED";

    internal static string? ClauseOf(string commandText)
    {
        const string marker = "-- " + Prefix;
        if (!commandText.StartsWith(marker, StringComparison.Ordinal))
        {
            return null;
        }

        var end = commandText.IndexOf('\n', marker.Length);
        return end < 0 ? null : commandText[marker.Length..end];
    }
}

/// <summary>Appends a tagged query's locking clause (see <see cref="RowLocks"/>) to its statement.</summary>
internal sealed class RowLockClause : DbCommandInterceptor
{
    public static readonly RowLockClause Instance = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        AddClause(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        AddClause(command);
        return ValueTask.FromResult(result);
    }

    private static void AddClause(DbCommand command)
    {
        if (RowLocks.ClauseOf(command.CommandText) is { } clause)
        {
            command.CommandText += "\n" + clause;
        }
    }
}
