using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Engine;

namespace OneThing.Api.Extensions;

internal static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in", detail: detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>Standard validation errors keyed by field, plus each message in Chinese and English for the UI.</summary>
    public static ValidationProblem InvalidForm(IReadOnlyList<FieldError> errors)
    {
        var details = InvalidFormDetails(errors);
        return TypedResults.ValidationProblem(details.Errors, title: details.Title, extensions: details.Extensions);
    }

    public static HttpValidationProblemDetails InvalidFormDetails(IReadOnlyList<FieldError> errors) =>
        new(errors.GroupBy(e => $"form.{e.Field}").ToDictionary(g => g.Key, g => g.Select(e => e.MessageEn).ToArray()))
        {
            Title = "The form has errors",
            Status = StatusCodes.Status400BadRequest,
            Extensions =
            {
                ["fieldErrors"] = errors.Select(e => new { field = e.Field, messageZh = e.MessageZh, messageEn = e.MessageEn }).ToList(),
            },
        };
}
