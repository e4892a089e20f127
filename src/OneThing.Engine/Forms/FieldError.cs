namespace OneThing.Engine;

/// <param name="Field">The field key, or <see cref="FieldError.WholeForm"/> for a problem with the form as a whole.</param>
public sealed record FieldError(string Field, string MessageZh, string MessageEn)
{
    public const string WholeForm = "$";
}
