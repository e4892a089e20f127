using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>How a clerk stands to a case: what they may do to it and whether they see its form in full.</summary>
public enum ClerkStanding
{
    /// <summary>Filed the case: sees the form in full and may change every field a clerk enters.</summary>
    Filer,

    /// <summary>Works at the filer's service hall: may act on the case, but sees personal fields masked and cannot change them.</summary>
    HallColleague,

    /// <summary>Neither: may not supplement or withdraw the case.</summary>
    Stranger,
}

public static class ClerkCaseAccess
{
    /// <summary>
    /// The filer's hall is read as it is now, so a case follows the hall its filer works at; an account without a hall
    /// (or a case without a filer) has no colleagues.
    /// </summary>
    public static async Task<ClerkStanding> StandingAsync(OneThingDbContext db, string? filedBy, AuditActor actor, CancellationToken cancellationToken)
    {
        if (actor.UserName is null || actor.Role != Roles.Clerk || filedBy is null)
        {
            return ClerkStanding.Stranger;
        }

        if (actor.UserName == filedBy)
        {
            return ClerkStanding.Filer;
        }

        var halls = await db.Users.AsNoTracking()
            .Where(u => u.UserName == actor.UserName || u.UserName == filedBy)
            .Select(u => new { u.UserName, u.Hall })
            .ToListAsync(cancellationToken);
        var mine = halls.FirstOrDefault(h => h.UserName == actor.UserName)?.Hall;
        var filers = halls.FirstOrDefault(h => h.UserName == filedBy)?.Hall;
        return mine is not null && mine == filers ? ClerkStanding.HallColleague : ClerkStanding.Stranger;
    }

    public static string Describe(ClerkStanding standing, string? filedBy) =>
        standing == ClerkStanding.HallColleague ? $" for {filedBy} (same service hall)" : "";
}

/// <summary>What a clerk may put into a case's form, whoever filed it.</summary>
public static class ClerkFormRules
{
    /// <summary>
    /// Fields a step provides (the credit code market regulation issues) belong to that step's reviewer. At filing a
    /// null is harmless and tolerated; in a supplement a null would erase the department's value, so any mention counts.
    /// </summary>
    public static IEnumerable<FieldError> ProvidedByADepartment(WorkflowDefinition definition, FormData given, bool nullsCount) =>
        given.Keys
            .Where(key => nullsCount || (given.TryGet(key, out var value) && value.ValueKind != JsonValueKind.Null))
            .Select(key => (Key: key, Step: definition.Steps.FirstOrDefault(step => step.Provides.Contains(key, StringComparer.Ordinal))))
            .Where(found => found.Step is not null)
            .Select(found => new FieldError(found.Key,
                $"{found.Key} 由“{found.Step!.Department}”部门在办理环节 {found.Step.Id} 中填写，窗口人员不能填写或修改。",
                $"{found.Key} is provided by the department {found.Step.Department} in step {found.Step.Id}; only its reviewer sets it, not a clerk."));

    /// <summary>
    /// The changes a clerk may not make to <paramref name="current"/>: a department's fields, fields they see masked,
    /// and a value that is the masked form of what is stored (a masked copy sent back would overwrite the real value).
    /// </summary>
    public static IReadOnlyList<FieldError> RefusedChanges(WorkflowDefinition definition, FormData current, FormData changes, ClerkStanding standing)
    {
        var errors = ProvidedByADepartment(definition, changes, nullsCount: true).ToList();
        var masked = FormMasking.Mask(definition, current);
        foreach (var key in changes.Keys.Where(key => errors.TrueForAll(error => error.Field != key)))
        {
            changes.TryGet(key, out var value);
            var seenMasked = definition.FindField(key) is not { Personal: false };
            if (standing != ClerkStanding.Filer && seenMasked)
            {
                errors.Add(new FieldError(key,
                    $"{key} 对您显示为脱敏内容，只有受理该办件的窗口人员可以修改。",
                    $"{key} is shown to you masked; only the clerk who filed the case may change it."));
            }
            else if (current.TryGet(key, out var stored) && !JsonElement.DeepEquals(value, stored)
                && masked.TryGet(key, out var maskedValue) && JsonElement.DeepEquals(value, maskedValue))
            {
                errors.Add(new FieldError(key,
                    $"{key} 的新值与其脱敏显示相同，不能用脱敏内容覆盖原值。",
                    $"The new value of {key} equals its masked form; a masked value never replaces the real one."));
            }
        }

        return errors;
    }
}
