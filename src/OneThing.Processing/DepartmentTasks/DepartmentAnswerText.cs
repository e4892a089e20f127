using OneThing.Contracts.Codes;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>
/// What a department system's answer says on the case, in OneThing's own words: the bus carries codes, and the
/// sentence staff read is made here. Text an older sender still puts on the bus is kept as the department's note.
/// </summary>
public static class DepartmentAnswerText
{
    public const int MaxNoteLength = 1000;

    public const string Completed = "部门系统已办结 / Completed by the department's system";

    private static readonly Dictionary<string, string> RejectionSentences = new(StringComparer.Ordinal)
    {
        [RejectionReasonCodes.RecordNotFound] = "部门系统未找到相关记录 / The department's system found no matching record",
        [RejectionReasonCodes.DataMismatch] = "申请信息与部门记录不一致 / The application does not match the department's records",
        [RejectionReasonCodes.NotEligible] = "不符合办理条件 / Not eligible under the department's rules",
        [RejectionReasonCodes.DuplicateApplication] = "已有相同申请在办 / The same application is already being handled",
        [RejectionReasonCodes.SystemError] = "部门系统故障，未能办理 / The department's system could not handle it",
        [RejectionReasonCodes.Other] = "部门系统不予办理 / Declined by the department's system",
    };

    /// <summary>A known code, or <see cref="RejectionReasonCodes.Other"/>: an unknown value may be anything, so it is not kept.</summary>
    public static string RejectionCode(string? reasonCode) =>
        reasonCode is not null && RejectionSentences.ContainsKey(reasonCode) ? reasonCode : RejectionReasonCodes.Other;

    public static string Rejection(string code, string? legacyReason) =>
        WithNote($"[{code}] {RejectionSentences[code]}", legacyReason);

    public static string Completion(string? legacyComment) => WithNote(Completed, legacyComment);

    private static string WithNote(string sentence, string? legacyText) =>
        Note(legacyText) is { } note ? $"{sentence} — 部门说明 / department's note: {note}" : sentence;

    // PostgreSQL text cannot hold NUL, and an answer that can never be stored would loop through the retries.
    private static string? Note(string? text)
    {
        var cleaned = text?.Replace("\0", "", StringComparison.Ordinal).Trim();
        return string.IsNullOrEmpty(cleaned) ? null : cleaned.Length <= MaxNoteLength ? cleaned : cleaned[..MaxNoteLength];
    }
}
