namespace OneThing.Processing.Commands;

/// <summary>
/// What staff write in their own words (a comment, a reason, a supplement request or note): one limit for every use case,
/// which the API answers with and the pages' text boxes read as their maximum length.
/// </summary>
public static class FreeText
{
    public const int MaxLength = 2000;

    /// <summary>Refused with <paramref name="message"/> when too long, or when <paramref name="required"/> and blank.</summary>
    public static Refusal? Check(string field, string? text, bool required, string message) =>
        (required && string.IsNullOrWhiteSpace(text)) || text is { Length: > MaxLength } ? new Refusal.Invalid(field, message) : null;
}
