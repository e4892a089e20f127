using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Engine;
using OneThing.Processing.Applicants;
using OneThing.Processing.Ratings;

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
public static class PublicCaseEndpoints
{
    private const string StatusInvalidTitle = "One or more validation errors occurred.";

    public static IEndpointRouteBuilder MapPublicCaseEndpoints(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup("/api/public/cases").WithTags("Public").AllowAnonymous().RequirePublicRateLimit();
        cases.MapGet("/{caseNumber}", GetStatusAsync).WithName("PublicCaseStatus")
            .WithSummary("Status and per-department progress of a case, for its applicant (case number + last 4 digits of the phone)");
        cases.MapPost("/{caseNumber}/rating", RateAsync).WithName("RateCase")
            .WithSummary("好差评: rate an ended case 1 to 5 with a comment, once");
        return routes;
    }

    private static async Task<Results<Ok<PublicCaseStatus>, ProblemHttpResult>> GetStatusAsync(
        string caseNumber, string? phoneLast4, PublicCaseQueries queries, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await queries.StatusAsync(caseNumber, phoneLast4, cancellationToken);
        return result.Value is { } status
            ? TypedResults.Ok(status)
            : CommandProblems.For(result.Refusal!, http.Response, ApplicantLookUp.NoMatch, StatusInvalidTitle);
    }

    private static async Task<Results<Created<RatingResponse>, ProblemHttpResult>> RateAsync(
        string caseNumber, RatingRequest? request, RateCase rateCase, HttpContext http, CancellationToken cancellationToken)
    {
        var command = new RateCaseCommand(caseNumber, request?.PhoneLast4, request?.Score, request?.Level, request?.Comment, http.AuditActor());
        var result = await rateCase.HandleAsync(command, cancellationToken);
        if (result.Value is not { } rated)
        {
            return CommandProblems.For(result.Refusal!, http.Response, ApplicantLookUp.NoMatch, RateCase.InvalidTitle);
        }

        return TypedResults.Created($"/api/public/cases/{rated.CaseNumber}",
            new RatingResponse(rated.CaseNumber, rated.Score, rated.RatedAt, rated.Level, rated.RectificationCaseNumber));
    }
}
