using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

public static class CaseLocks
{
    /// <summary>Every change to a case runs under this row lock, so concurrent decisions on one case apply one at a time.</summary>
    public static Task<CaseRecord> LockCaseAsync(this OneThingDbContext db, Guid caseId, CancellationToken cancellationToken) =>
        db.Cases.FromSql($"SELECT * FROM cases WHERE id = {caseId} FOR UPDATE").SingleAsync(cancellationToken);
}
