namespace OneThing.Engine;

public enum FieldType { Text, Bool, Number, Date, Choice, IdNumber, CreditCode, Mobile, Attachment }

/// <param name="Options">The allowed values of a <see cref="FieldType.Choice"/> field; empty for every other type.</param>
/// <param name="Personal">True for data that identifies a person: set by <c>personal: true</c>, always true for ID and mobile numbers.</param>
public sealed record FormField(
    string Key,
    LocalizedText Label,
    FieldType Type,
    bool Required,
    IReadOnlyList<string> Options,
    bool Personal)
{
    /// <summary>Set by <c>place: grid</c> (or street, community): the value is the code of a unit of that role, checked at filing.</summary>
    public TerritorialRole? Place { get; init; }

    /// <summary>Set by <c>required_when</c>: the field is required when this condition on other form fields holds, e.g. a minor's guardian.</summary>
    public Condition? RequiredWhen { get; init; }

    public string? RequiredWhenText { get; init; }
}
