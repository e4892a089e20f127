using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Applicants;
using OneThing.Processing.Audit;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Ratings;

/// <param name="Score">1 (非常不满意) to 5 (非常满意); give this or <paramref name="Level"/>.</param>
/// <param name="Level">One of <see cref="RatingLevels.ByScore"/> (GB/T 39734).</param>
public sealed record RateCaseCommand(string CaseNumber, string? PhoneLast4, int? Score, string? Level, string? Comment, AuditActor Applicant);

/// <param name="RectificationCaseNumber">The 好差评整改 case a bad rating opened, null for a good rating.</param>
public sealed record CaseRated(string CaseNumber, int Score, DateTimeOffset RatedAt, string Level, string? RectificationCaseNumber);

/// <summary>
/// 好差评: the applicant rates an ended case once, with the case number and the phone's last four digits. A bad rating
/// opens its 好差评整改 case in the same transaction, so the rating and its rectification are saved together or not at all.
/// </summary>
public sealed class RateCase(ApplicantLookUp lookUp, CaseCommands commands, OneThingDbContext db, AuditTrail audit,
    OpenRatingRectification rectification, TimeProvider clock)
{
    public const int MaxCommentLength = 500;

    public const string InvalidTitle = "The rating has errors";

    public async Task<CommandResult<CaseRated>> HandleAsync(RateCaseCommand command, CancellationToken cancellationToken)
    {
        var score = command.Level is { } level ? RatingLevels.ScoreOf(level) : command.Score;
        if (Refusal.Invalid.Combine(ApplicantLookUp.CheckPhoneDigits(command.PhoneLast4), CheckScore(command, score), CheckComment(command.Comment)) is { } invalid)
        {
            return invalid;
        }

        var found = await lookUp.FindAsync(command.CaseNumber, command.PhoneLast4, cancellationToken);
        if (!found.IsDone)
        {
            return found.Refusal!;
        }

        var applicantCase = found.Value!;
        var comment = string.IsNullOrWhiteSpace(command.Comment) ? null : command.Comment.Trim();
        return await commands.OnCaseAsync(applicantCase.Record.Id,
            (unit, token) => RateAsync(unit, applicantCase.Phone, score!.Value, comment, command.Applicant, token), cancellationToken);
    }

    private static Refusal.Invalid? CheckScore(RateCaseCommand command, int? score) => command switch
    {
        { Level: not null } when score is null => new Refusal.Invalid("level",
            $"level must be one of {string.Join(", ", RatingLevels.ByScore.Reverse())}. 评价等级应为非常满意、满意、基本满意、不满意或非常不满意。", InvalidTitle),
        { Level: not null, Score: { } given } when given != score => new Refusal.Invalid("score",
            "score and level disagree; give one of them. 评分与评价等级不一致。", InvalidTitle),
        _ when score is not (>= 1 and <= 5) => new Refusal.Invalid("score",
            "score must be a whole number from 1 (very poor) to 5 (very good), or give level. 评分应为1至5。", InvalidTitle),
        _ => null,
    };

    private static Refusal.Invalid? CheckComment(string? comment) => comment is { Length: > MaxCommentLength }
        ? new Refusal.Invalid("comment", $"comment is at most {MaxCommentLength} characters. 评价内容不能超过{MaxCommentLength}字。", InvalidTitle)
        : null;

    /// <remarks>The case lock makes a second rating wait for the first and then find it, so the unique key never has to refuse one.</remarks>
    private async Task<CommandResult<CaseRated>> RateAsync(CaseUnit unit, string applicantPhone, int score, string? comment, AuditActor applicant,
        CancellationToken cancellationToken)
    {
        var record = unit.Record;
        if (record.EndedAt is null)
        {
            return new Refusal.Conflict("A case can be rated once it has ended. 办件办结后方可评价。");
        }

        if (await db.CaseRatings.AnyAsync(r => r.CaseId == record.Id, cancellationToken))
        {
            return new Refusal.Conflict("This case has already been rated. 该办件已评价。");
        }

        var rating = new CaseRating { CaseId = record.Id, Score = score, Comment = comment, RatedAt = clock.GetUtcNow() };
        db.CaseRatings.Add(rating);
        audit.Add(applicant with { UserName = null, Role = "applicant" }, AuditActions.CaseRated, AuditTargets.Case, record.Id.ToString(),
            $"{record.CaseNumber}: {rating.Score}");
        var opened = await rectification.AddAsync(rating, record, unit.Definition, applicantPhone, rating.RatedAt, cancellationToken);
        return CommandResult<CaseRated>.Done(new CaseRated(record.CaseNumber, rating.Score, rating.RatedAt, RatingLevels.OfScore(rating.Score),
            opened?.CaseNumber));
    }
}
