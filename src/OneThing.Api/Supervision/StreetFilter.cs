using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Supervision;

/// <summary>The supervisor's filter by street (街道/镇): every view can be narrowed to the cases that lie in one.</summary>
internal static class StreetFilter
{
    public static IQueryable<CaseRecord> InStreet(this IQueryable<CaseRecord> cases, string? street) =>
        street is null ? cases : cases.Where(c => c.Street == street);

    /// <summary>Null when the street is absent or one of the district's; otherwise the problem to answer with.</summary>
    public static Dictionary<string, string[]>? Check(WorkflowRegistry workflows, string? street) =>
        street is null || workflows.Departments.Territory.Find(street)?.Role == Engine.TerritorialRole.Street
            ? null
            : new Dictionary<string, string[]>
            {
                ["street"] =
                [
                    $"'{street}' is not a street or town of the district; use a code from GET /api/units?role=street. 街道/镇编号无效。",
                ],
            };
}
