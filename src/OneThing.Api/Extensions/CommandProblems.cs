using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Processing.Commands;

namespace OneThing.Api.Extensions;

/// <summary>Every refused command answers the same way: one problem+json per kind of refusal.</summary>
internal static class CommandProblems
{
    /// <summary>As <see cref="For(Refusal, string, string)"/>, with the Retry-After header a refused attempt needs.</summary>
    public static ProblemHttpResult For(Refusal refusal, HttpResponse response, string notFound, string invalidTitle = "Invalid request")
    {
        if (refusal is Refusal.TooManyAttempts tooMany)
        {
            SetRetryAfter(response, tooMany.RetryAfter);
        }

        return For(refusal, notFound, invalidTitle);
    }

    /// <summary>Whole seconds, at least one, as every 429 here says it.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan wait) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <param name="notFound">What to say when the command found nothing to work on (e.g. "There is no task {id}.").</param>
    /// <param name="invalidTitle">The title of a one-field invalid answer whose refusal names none.</param>
    public static ProblemHttpResult For(Refusal refusal, string notFound, string invalidTitle = "Invalid request") => refusal switch
    {
        Refusal.NotFound missing => Problems.NotFound(missing.Message ?? notFound),
        Refusal.Conflict conflict => Problems.Conflict(conflict.Message),
        Refusal.Forbidden forbidden => Problems.Forbidden(forbidden.Message),
        Refusal.Invalid invalid => TypedResults.Problem(new HttpValidationProblemDetails(
            invalid.All.GroupBy(wrong => wrong.Field).ToDictionary(field => field.Key, field => field.Select(wrong => wrong.Message).ToArray()))
        {
            Title = invalid.Title ?? invalidTitle,
            Status = StatusCodes.Status400BadRequest,
        }),
        Refusal.InvalidForm form => TypedResults.Problem(Problems.InvalidFormDetails(form.Errors)),
        Refusal.TooManyAttempts tooMany => TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: tooMany.Title, detail: tooMany.Message),
        Refusal.Unprocessable unprocessable => TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity, title: unprocessable.Title, detail: unprocessable.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "A refusal without an answer"),
    };
}
