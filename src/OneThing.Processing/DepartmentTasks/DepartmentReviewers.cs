using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Accounts;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>The reviewer accounts of a department: a task is only ever reassigned to one of them.</summary>
public static class DepartmentReviewers
{
    public static Task<List<string>> ListAsync(OneThingDbContext db, string department, CancellationToken cancellationToken) =>
        Reviewers(db, department).Select(u => u.UserName!).Order().ToListAsync(cancellationToken);

    /// <summary>The user name as stored, when <paramref name="userName"/> (any case) is a reviewer of the department; else null.</summary>
    public static Task<string?> FindAsync(OneThingDbContext db, string department, string userName, CancellationToken cancellationToken)
    {
        var normalized = userName.ToUpperInvariant();
        return Reviewers(db, department).Where(u => u.NormalizedUserName == normalized).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken);
    }

    private static IQueryable<StaffAccount> Reviewers(OneThingDbContext db, string department) =>
        db.Users.AsNoTracking().Where(u => u.Department == department && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == Roles.Reviewer));
}
