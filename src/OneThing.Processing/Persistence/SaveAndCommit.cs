using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace OneThing.Processing.Persistence;

public static class SaveAndCommit
{
    /// <summary>
    /// Saves and commits. When the save is written as a plain batch (<see cref="PlainBatchSave"/>), the COMMIT ends that
    /// batch: one round trip instead of two, the commit as durable as ever. Otherwise (EF's own save, or nothing to write)
    /// the transaction is committed after the save as usual.
    /// </summary>
    /// <remarks>
    /// A commit that fails in the batch (a deferred constraint, a serialization failure) surfaces as the save's
    /// <see cref="DbUpdateException"/>; PostgreSQL has then rolled the transaction back, and disposing it sends nothing.
    /// </remarks>
    public static async Task SaveAndCommitAsync(this OneThingDbContext db, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        db.BatchCommit = BatchCommit.Requested;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (db.BatchCommit == BatchCommit.Sent)
            {
                return;
            }
        }
        finally
        {
            db.BatchCommit = BatchCommit.None;
        }

        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>Whether the next plain batch is to end with COMMIT, and whether it did.</summary>
internal enum BatchCommit
{
    None,
    Requested,
    Sent,
}
