using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;
using OneThing.Processing.Ratings;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Public;

/// <param name="Department">Null for steps no department handles (waits, notifications).</param>
public sealed record PublicStepProgress(string? Department, LocalizedText? DepartmentName, LocalizedText Step, string State, DateTimeOffset? EndedAt);

/// <summary>What an applicant may learn with the case number and the phone's last four digits: progress, no personal data.</summary>
public sealed record PublicCaseStatus(
    string CaseNumber,
    LocalizedText Workflow,
    string Status,
    DateTimeOffset FiledAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<PublicStepProgress> Departments,
    bool Rated);

/// <param name="Score">1 (非常不满意) to 5 (非常满意), as before levels; give this or <paramref name="Level"/>.</param>
/// <param name="Level">very-satisfied | satisfied | basically-satisfied | dissatisfied | very-dissatisfied (GB/T 39734).</param>
public sealed record RatingRequest(string? PhoneLast4, int? Score, string? Comment, string? Level = null);

/// <param name="RectificationCaseNumber">The 好差评整改 case a bad rating opened, null for a good rating.</param>
public sealed record RatingResponse(string CaseNumber, int Score, DateTimeOffset RatedAt, string? Level = null, string? RectificationCaseNumber = null);

/// <summary>
/// The applicant's side (no sign-in): status look-up and 好差评. "No such case" and "wrong digits" get the same
/// answer; the per-address rate limit and the per-case-number lock keep anyone from guessing four digits at speed.
/// </summary>
public static partial class PublicCaseEndpoints
{
    public const int MaxCommentLength = 500;

    public const string CaseNumberLocked =
        "This case number is locked for a while after repeated wrong phone digits; try again later. 该办件编号因多次输入错误已暂时锁定，请稍后再试。";

    private const string NoMatch = "No case matches this case number and these phone digits. 未找到与该办件编号和手机号后四位相符的办件。";

    public static IEndpointRouteBuilder MapPublicCaseEndpoints(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup("/api/public/cases").WithTags("Public").AllowAnonymous().RequirePublicRateLimit();
        cases.MapGet("/{caseNumber}", GetStatusAsync).WithName("PublicCaseStatus")
            .WithSummary("Status and per-department progress of a case, for its applicant (case number + last 4 digits of the phone)");
        cases.MapPost("/{caseNumber}/rating", RateAsync).WithName("RateCase")
            .WithSummary("好差评: rate an ended case 1 to 5 with a comment, once");
        return routes;
    }

    private static async Task<Results<Ok<PublicCaseStatus>, ProblemHttpResult, ValidationProblem>> GetStatusAsync(
        string caseNumber, string? phoneLast4, OneThingDbContext db, WorkflowRegistry workflows, CaseNumberLock caseNumberLock, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (!IsFourDigits(phoneLast4))
        {
            return FourDigitsRequired();
        }

        var lookUp = await LookUpAsync(db, workflows, caseNumberLock, caseNumber, phoneLast4!, cancellationToken);
        if (lookUp.LockedFor is { } lockedFor)
        {
            return Locked(http, lockedFor);
        }

        if (lookUp is not { Record: { } record, Definition: { } definition })
        {
            return Problems.NotFound(NoMatch);
        }

        var state = CaseDocuments.ReadState(record);
        var rated = await db.CaseRatings.AnyAsync(r => r.CaseId == record.Id, cancellationToken);
        var steps = state.Steps.Select(step =>
        {
            var stepDefinition = definition.FindStep(step.StepId)!;
            return new PublicStepProgress(stepDefinition.Department,
                stepDefinition.Department is { } department ? workflows.Departments.Find(department)?.Name : null, stepDefinition.Name,
                StoredNames.Of(step.Status), step.EndedAt);
        }).ToList();
        return TypedResults.Ok(new PublicCaseStatus(record.CaseNumber, definition.Name, record.Status, record.FiledAt, record.EndedAt, steps, rated));
    }

    private static async Task<Results<Created<RatingResponse>, ProblemHttpResult, ValidationProblem>> RateAsync(
        string caseNumber, RatingRequest? request, OneThingDbContext db, WorkflowRegistry workflows, CaseNumberLock caseNumberLock, AuditTrail audit,
        OpenRatingRectification rectification, OutboxSignal outbox, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IsFourDigits(request?.PhoneLast4))
        {
            errors["phoneLast4"] = ["phoneLast4 must be the last 4 digits of the applicant's mobile number. 请输入申请人手机号后四位。"];
        }

        var score = request?.Level is { } level ? RatingLevels.ScoreOf(level) : request?.Score;
        if (request?.Level is not null && score is null)
        {
            errors["level"] = [$"level must be one of {string.Join(", ", RatingLevels.ByScore.Reverse())}. 评价等级应为非常满意、满意、基本满意、不满意或非常不满意。"];
        }
        else if (request?.Level is not null && request.Score is { } given && given != score)
        {
            errors["score"] = ["score and level disagree; give one of them. 评分与评价等级不一致。"];
        }
        else if (score is not (>= 1 and <= 5))
        {
            errors["score"] = ["score must be a whole number from 1 (very poor) to 5 (very good), or give level. 评分应为1至5。"];
        }

        if (request?.Comment is { Length: > MaxCommentLength })
        {
            errors["comment"] = [$"comment is at most {MaxCommentLength} characters. 评价内容不能超过{MaxCommentLength}字。"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The rating has errors");
        }

        var lookUp = await LookUpAsync(db, workflows, caseNumberLock, caseNumber, request!.PhoneLast4!, cancellationToken);
        if (lookUp.LockedFor is { } lockedFor)
        {
            return Locked(http, lockedFor);
        }

        if (lookUp is not { Record: { } record, Definition: { } definition })
        {
            return Problems.NotFound(NoMatch);
        }

        if (record.EndedAt is null)
        {
            return Problems.Conflict("A case can be rated once it has ended. 办件办结后方可评价。");
        }

        var rating = new CaseRating
        {
            CaseId = record.Id,
            Score = score!.Value,
            Comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim(),
            RatedAt = clock.GetUtcNow(),
        };
        db.CaseRatings.Add(rating);
        audit.Add(http.AuditActor() with { UserName = null, Role = "applicant" }, AuditActions.CaseRated, AuditTargets.Case, record.Id.ToString(),
            $"{record.CaseNumber}: {rating.Score}");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var opened = await rectification.AddAsync(rating, record, definition, PhoneEndingIn(definition, record, request.PhoneLast4!), rating.RatedAt,
            cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problems.Conflict("This case has already been rated. 该办件已评价。");
        }

        if (opened is not null)
        {
            outbox.Notify();
        }

        return TypedResults.Created($"/api/public/cases/{record.CaseNumber}",
            new RatingResponse(record.CaseNumber, rating.Score, rating.RatedAt, RatingLevels.OfScore(rating.Score), opened?.CaseNumber));
    }

    /// <summary>
    /// A locked case number is not looked up at all, right digits or not. Wrong digits and numbers that match no case
    /// count alike: a lock that only real cases could get would tell a guesser which numbers exist.
    /// </summary>
    private static async Task<LookUp> LookUpAsync(OneThingDbContext db, WorkflowRegistry workflows, CaseNumberLock caseNumberLock,
        string caseNumber, string phoneLast4, CancellationToken cancellationToken)
    {
        if (await caseNumberLock.LockedForAsync(caseNumber, cancellationToken) is { } lockedFor)
        {
            return new LookUp(null, null, lockedFor);
        }

        if (await FindAsync(db, workflows, caseNumber, phoneLast4, cancellationToken) is not ({ } record, { } definition))
        {
            await caseNumberLock.RecordWrongDigitsAsync(caseNumber, cancellationToken);
            return new LookUp(null, null, null);
        }

        await caseNumberLock.RecordMatchAsync(caseNumber, cancellationToken);
        return new LookUp(record, definition, null);
    }

    private static ProblemHttpResult Locked(HttpContext http, TimeSpan lockedFor)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(lockedFor.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Case number locked", detail: CaseNumberLocked);
    }

    private static async Task<(CaseRecord Record, WorkflowDefinition Definition)?> FindAsync(
        OneThingDbContext db, WorkflowRegistry workflows, string caseNumber, string phoneLast4, CancellationToken cancellationToken)
    {
        if (caseNumber.Length > 64)
        {
            return null;
        }

        var record = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.CaseNumber == caseNumber, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
        return PhonesOf(definition, record).Any(phone => phone.EndsWith(phoneLast4, StringComparison.Ordinal)) ? (record, definition) : null;
    }

    private static IEnumerable<string> PhonesOf(WorkflowDefinition definition, CaseRecord record)
    {
        var form = CaseDocuments.ReadForm(record);
        return definition.Form
            .Where(f => f.Type == FieldType.Mobile)
            .Select(f => form.TryGet(f.Key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null)
            .OfType<string>();
    }

    private static string PhoneEndingIn(WorkflowDefinition definition, CaseRecord record, string phoneLast4) =>
        PhonesOf(definition, record).First(phone => phone.EndsWith(phoneLast4, StringComparison.Ordinal));

    private static bool IsFourDigits(string? text) => text is not null && FourDigits().IsMatch(text);

    private static ValidationProblem FourDigitsRequired() => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["phoneLast4"] = ["phoneLast4 must be the last 4 digits of the applicant's mobile number. 请输入申请人手机号后四位。"],
    });

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex FourDigits();

    private sealed record LookUp(CaseRecord? Record, WorkflowDefinition? Definition, TimeSpan? LockedFor);
}
