using System.Text.RegularExpressions;
using OneThing.Api.Extensions;
using OneThing.Api.Supervision;
using OneThing.Processing.DepartmentTasks;

namespace OneThing.Api.DepartmentTasks;

/// <summary>
/// Which of a department's tasks a reviewer asks for and which page of them. Every value is checked before it reaches the
/// database: the case number and step go into LIKE and equality comparisons, so only the characters they can hold pass.
/// </summary>
public sealed partial record InboxFilter(string? Status, string? Light, string? Step, string? CaseNumber, int Page, int PageSize)
{
    public const string AllStates = "all";
    public const string NoDeadline = TaskLights.NoDeadlineName;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    private const int MaxCaseNumberLength = 40;
    private const int MaxStepLength = 100;

    /// <summary>What the light filter accepts: the lights' names (<see cref="TaskLights"/> holds the rule).</summary>
    public static IReadOnlyList<string> Lights => TaskLights.Names;

    public static InboxFilter Unfiltered(int page, int pageSize) => new(null, null, null, null, page, pageSize);

    /// <summary>The filter the query parameters ask for, or what is wrong with them, keyed by parameter.</summary>
    public static (InboxFilter? Filter, Dictionary<string, string[]> Errors) From(string? status, string? light, string? step, string? caseNumber,
        int? page, int? pageSize)
    {
        var errors = Paging.Check(page, pageSize, MaxPageSize);
        if (status is not null && status != AllStates && !TaskStateNames.TryParse(status, out _))
        {
            errors["status"] = [$"status must be one of: {AllStates}, {string.Join(", ", TaskStateNames.Stored)}. 任务状态不正确。"];
        }

        if (light is not null && !Lights.Contains(light))
        {
            errors["light"] = [$"light must be one of: {string.Join(", ", Lights)}. 亮灯只能是绿灯、黄灯、红灯或无时限。"];
        }

        var trimmedStep = Blank(step);
        if (trimmedStep is not null && (trimmedStep.Length > MaxStepLength || !StepId().IsMatch(trimmedStep)))
        {
            errors["step"] = [$"step is a step id of a workflow (letters, digits, '-' or '_', at most {MaxStepLength}). 环节编号不正确。"];
        }

        var number = Blank(caseNumber)?.ToUpperInvariant();
        if (number is not null && (number.Length > MaxCaseNumberLength || !CaseNumberPart().IsMatch(number)))
        {
            errors["caseNumber"] = [$"caseNumber is a case number or its beginning or end, e.g. YJS-20261123 or 000123 (letters, digits and '-', at most {MaxCaseNumberLength}). 受理编号只能包含字母、数字和“-”。"];
        }

        return errors.Count > 0 ? (null, errors) : (new InboxFilter(status, light, trimmedStep, number, page ?? 1, pageSize ?? DefaultPageSize), errors);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex("^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex StepId();

    [GeneratedRegex("^[A-Z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex CaseNumberPart();
}
