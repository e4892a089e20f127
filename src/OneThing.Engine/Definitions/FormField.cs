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
    bool Personal);
