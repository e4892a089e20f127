using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Applicants;

/// <param name="Phone">The applicant's mobile number on the form that ends in the digits given.</param>
public sealed record ApplicantCase(CaseRecord Record, WorkflowDefinition Definition, string Phone);

/// <summary>
/// How an applicant, who has no account, reaches a case: its number and the last four digits of a mobile number on its
/// form. "No such case" and "wrong digits" are refused alike, and both count towards the case number's lock: a lock
/// that only real cases could get would tell a guesser which numbers exist. A locked number is not looked up at all.
/// </summary>
public sealed partial class ApplicantLookUp(OneThingDbContext db, WorkflowRegistry workflows, CaseNumberLock caseNumberLock)
{
    public const string NoMatch = "No case matches this case number and these phone digits. 未找到与该办件编号和手机号后四位相符的办件。";

    public const string CaseNumberLocked =
        "This case number is locked for a while after repeated wrong phone digits; try again later. 该办件编号因多次输入错误已暂时锁定，请稍后再试。";

    private const int MaxCaseNumberLength = 64;

    /// <summary>The phone digits' own check, for a use case that reports it beside its other fields.</summary>
    public static Refusal.Invalid? CheckPhoneDigits(string? phoneLast4) => phoneLast4 is not null && FourDigits().IsMatch(phoneLast4)
        ? null
        : new Refusal.Invalid("phoneLast4", "phoneLast4 must be the last 4 digits of the applicant's mobile number. 请输入申请人手机号后四位。");

    /// <summary>Untracked: the status answer reads it, and a command locks the case again by its id.</summary>
    public async Task<CommandResult<ApplicantCase>> FindAsync(string caseNumber, string? phoneLast4, CancellationToken cancellationToken)
    {
        if (CheckPhoneDigits(phoneLast4) is { } invalid)
        {
            return invalid;
        }

        if (await caseNumberLock.LockedForAsync(caseNumber, cancellationToken) is { } lockedFor)
        {
            return new Refusal.TooManyAttempts(lockedFor, "Case number locked", CaseNumberLocked);
        }

        if (await MatchAsync(caseNumber, phoneLast4!, cancellationToken) is not { } found)
        {
            await caseNumberLock.RecordWrongDigitsAsync(caseNumber, cancellationToken);
            return new Refusal.NotFound(NoMatch);
        }

        await caseNumberLock.RecordMatchAsync(caseNumber, cancellationToken);
        return CommandResult<ApplicantCase>.Done(found);
    }

    private async Task<ApplicantCase?> MatchAsync(string caseNumber, string phoneLast4, CancellationToken cancellationToken)
    {
        if (caseNumber.Length > MaxCaseNumberLength)
        {
            return null;
        }

        var record = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.CaseNumber == caseNumber, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
        return PhonesOf(definition, record).FirstOrDefault(phone => phone.EndsWith(phoneLast4, StringComparison.Ordinal)) is { } phone
            ? new ApplicantCase(record, definition, phone)
            : null;
    }

    private static IEnumerable<string> PhonesOf(WorkflowDefinition definition, CaseRecord record)
    {
        var form = CaseDocuments.ReadForm(record);
        return definition.Form
            .Where(f => f.Type == FieldType.Mobile)
            .Select(f => form.TryGet(f.Key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null)
            .OfType<string>();
    }

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex FourDigits();
}
