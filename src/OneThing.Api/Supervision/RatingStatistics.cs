using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;
using OneThing.Processing.Ratings;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Supervision;

/// <param name="Levels">Count per level, every level present (very-satisfied … very-dissatisfied).</param>
/// <param name="BadAnsweredOnTime">Bad ratings whose 好差评整改 case ended by its deadline.</param>
/// <param name="OnTimeShare">BadAnsweredOnTime / Bad; null when there were no bad ratings.</param>
public sealed record RatingRow(string Code, LocalizedText Name, int Total, IReadOnlyDictionary<string, int> Levels, int Bad, int BadAnsweredOnTime,
    double? OnTimeShare);

public sealed record RatingStatisticsResponse(DateTimeOffset Since, int Total, IReadOnlyList<RatingRow> ByDepartment, IReadOnlyList<RatingRow> ByMatter);

/// <summary>好差评 for supervisors: ratings per department and per matter, and how many bad ones were answered on time.</summary>
public static class RatingStatistics
{
    public const int MaxDays = 366;

    public static async Task<RatingStatisticsResponse> ComputeAsync(OneThingDbContext db, WorkflowRegistry workflows, DateTimeOffset since,
        CancellationToken cancellationToken)
    {
        var rows = await (
            from rating in db.CaseRatings.AsNoTracking()
            where rating.RatedAt >= since
            join rated in db.Cases.AsNoTracking() on rating.CaseId equals rated.Id
            join rectification in db.Cases.AsNoTracking() on rating.RectificationCaseId equals (Guid?)rectification.Id into rectifications
            from rectification in rectifications.DefaultIfEmpty()
            select new { rating.Score, Rated = rated, RectifiedEndedAt = (DateTimeOffset?)rectification.EndedAt, RectificationDueAt = rectification.DueAt })
            .ToListAsync(cancellationToken);

        var ratedCases = rows.Select(row => new RatedCase(row.Score, row.Rated.WorkflowId, DepartmentsOf(workflows, row.Rated),
            row.RectifiedEndedAt is { } ended && (row.RectificationDueAt is not { } due || ended <= due))).ToList();
        var byDepartment = ratedCases
            .SelectMany(r => r.Departments.Select(department => (Key: department, Rating: r)))
            .GroupBy(pair => pair.Key, pair => pair.Rating)
            .Select(group => Row(group.Key, workflows.Departments.Find(group.Key)?.Name ?? new LocalizedText(group.Key, group.Key), group.ToList()));
        var byMatter = ratedCases
            .GroupBy(r => r.WorkflowId)
            .Select(group => Row(group.Key, workflows.FindLatest(group.Key)?.Definition.Name ?? new LocalizedText(group.Key, group.Key), group.ToList()));
        return new RatingStatisticsResponse(since, ratedCases.Count, Ordered(byDepartment), Ordered(byMatter));
    }

    private static List<RatingRow> Ordered(IEnumerable<RatingRow> rows) =>
        rows.OrderByDescending(row => row.Bad).ThenBy(row => row.Code, StringComparer.Ordinal).ToList();

    private static RatingRow Row(string code, LocalizedText name, IReadOnlyList<RatedCase> ratings)
    {
        var levels = RatingLevels.ByScore.Reverse().ToDictionary(level => level, level => ratings.Count(r => RatingLevels.OfScore(r.Score) == level));
        var bad = ratings.Where(r => RatingLevels.IsBad(r.Score)).ToList();
        var onTime = bad.Count(r => r.AnsweredOnTime);
        return new RatingRow(code, name, ratings.Count, levels, bad.Count, onTime, bad.Count == 0 ? null : (double)onTime / bad.Count);
    }

    private static IReadOnlyList<string> DepartmentsOf(WorkflowRegistry workflows, CaseRecord rated)
    {
        var definition = workflows.FindLatest(rated.WorkflowId)?.Definition;
        return CaseDocuments.ReadState(rated).Steps
            .Select(step => definition?.FindStep(step.StepId)?.Department)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private sealed record RatedCase(int Score, string WorkflowId, IReadOnlyList<string> Departments, bool AnsweredOnTime);
}
