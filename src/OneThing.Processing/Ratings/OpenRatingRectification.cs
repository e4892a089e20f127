using System.Text.Json;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Ratings;

/// <summary>
/// A bad rating (不满意, 非常不满意) opens a 好差评整改 case in the caller's transaction, so that the rating and its
/// case are saved together or not at all; the case names the rated case and the departments that handled it.
/// </summary>
public sealed class OpenRatingRectification(WorkflowRegistry workflows, FileCase fileCase, ILogger<OpenRatingRectification> logger)
{
    public const string WorkflowId = "rating-rectification";

    /// <returns>The new case, or null when the rating is not bad or the catalogue has no rectification workflow.</returns>
    public async Task<CaseRecord?> AddAsync(CaseRating rating, CaseRecord rated, WorkflowDefinition ratedDefinition, string applicantPhone,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!RatingLevels.IsBad(rating.Score))
        {
            return null;
        }

        if (workflows.FindLatest(WorkflowId) is not { } workflow)
        {
            logger.LogWarning("Case {CaseNumber} was rated {Level} but no {WorkflowId} workflow is loaded; no rectification case opened",
                rated.CaseNumber, RatingLevels.OfScore(rating.Score), WorkflowId);
            return null;
        }

        var departments = CaseDocuments.ReadState(rated).Steps
            .Select(step => ratedDefinition.FindStep(step.StepId)?.Department)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Select(code => workflows.Departments.Find(code)?.Name.Zh ?? code);
        var form = new Dictionary<string, object?>
        {
            ["ratedCaseNumber"] = rated.CaseNumber,
            ["ratedMatter"] = ratedDefinition.Name.Zh,
            ["ratedDepartments"] = string.Join("、", departments),
            ["level"] = RatingLevels.OfScore(rating.Score),
            ["comment"] = rating.Comment,
            ["applicantPhone"] = applicantPhone,
        };
        if (form["comment"] is null)
        {
            form.Remove("comment");
        }

        var (opened, _) = await fileCase.OpenAsync(workflow, FormData.FromJson(JsonSerializer.SerializeToElement(form)), now, reports: 0,
            idempotencyKey: null, requestHash: null, new AuditActor("system:rating", "system", null), cancellationToken);
        rating.RectificationCaseId = opened.Id;
        return opened.Record;
    }
}
