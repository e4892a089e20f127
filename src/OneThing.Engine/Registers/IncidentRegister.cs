namespace OneThing.Engine;

/// <summary>
/// A register of enrolled people that an incident's place names: a water meter's report names the meter, and the
/// register says whose home it is. The report carries no personal data; the case's form is completed from the register.
/// </summary>
/// <param name="Name">Which register, one of <see cref="Registers.All"/>.</param>
/// <param name="Fill">Form field key → the register's field that completes it.</param>
public sealed record IncidentRegister(string Name, IReadOnlyDictionary<string, string> Fill);

/// <summary>The registers the service keeps, with the fields each offers and the form field type each completes.</summary>
public static class Registers
{
    /// <summary>Elders living alone whose homes have a smart water meter (甬易养), by meter id; kept by civil affairs.</summary>
    public const string EnrolledElders = "enrolled-elders";

    public static class ElderFields
    {
        public const string Name = "name";
        public const string Address = "address";
        public const string Grid = "grid";
        public const string FamilyPhone = "familyPhone";
    }

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldType>> All =
        new Dictionary<string, IReadOnlyDictionary<string, FieldType>>(StringComparer.Ordinal)
        {
            [EnrolledElders] = new Dictionary<string, FieldType>(StringComparer.Ordinal)
            {
                [ElderFields.Name] = FieldType.Text,
                [ElderFields.Address] = FieldType.Text,
                [ElderFields.Grid] = FieldType.Text,
                [ElderFields.FamilyPhone] = FieldType.Mobile,
            },
        };
}
