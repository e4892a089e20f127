namespace OneThing.Engine.Tests;

public class ConditionCheckerTests
{
    private static readonly IReadOnlyList<FormField> Form =
    [
        Field("hasChild", FieldType.Bool),
        Field("age", FieldType.Number),
        Field("bornOn", FieldType.Date),
        Field("movedOn", FieldType.Date),
        Field("name", FieldType.Text),
        Field("idNumber", FieldType.IdNumber),
        Field("channel", FieldType.Choice, "window", "online"),
        Field("photo", FieldType.Attachment),
    ];

    private static FormField Field(string key, FieldType type, params string[] options) =>
        new(key, new LocalizedText(key, key), type, false, options, false);

    private static IReadOnlyList<string> Check(string text) => ConditionChecker.Check(ConditionParser.Parse(text), Form);

    [Theory]
    [InlineData("hasChild")]
    [InlineData("not hasChild and age >= 6")]
    [InlineData("hasChild == false")]
    [InlineData("bornOn < '2019-09-01'")]
    [InlineData("'2019-09-01' > bornOn")]
    [InlineData("bornOn < movedOn")]
    [InlineData("channel == 'online' or channel in ['window']")]
    [InlineData("name != 'x' and idNumber == '11010519491231002X'")]
    [InlineData("age in [1, 2, 3]")]
    [InlineData("true")]
    public void Well_typed_conditions_pass(string text)
    {
        Assert.Empty(Check(text));
    }

    [Theory]
    [InlineData("hasKid", "unknown field 'hasKid' in when")]
    [InlineData("steps.household.outcome == 'approved'", "unknown field 'steps.household.outcome' in when")]
    [InlineData("hasChild == 3", "type error in when: bool field 'hasChild' cannot be compared with number 3")]
    [InlineData("hasChild < true", "type error in when: '<' cannot be used on bool field 'hasChild'")]
    [InlineData("name <= 'z'", "type error in when: '<=' cannot be used on text field 'name'")]
    [InlineData("channel > 'a'", "type error in when: '>' cannot be used on choice field 'channel'")]
    [InlineData("channel == 'fax'", "type error in when: 'fax' is not an option of choice field 'channel' (options: window, online)")]
    [InlineData("age == 'old'", "type error in when: number field 'age' cannot be compared with string 'old'")]
    [InlineData("bornOn < 2019", "type error in when: date field 'bornOn' cannot be compared with number 2019 (write dates as 'yyyy-MM-dd')")]
    [InlineData("bornOn < '2019/09/01'", "type error in when: '2019/09/01' is not a valid date (yyyy-MM-dd) for date field 'bornOn'")]
    [InlineData("age", "type error in when: number field 'age' cannot stand alone as a condition")]
    [InlineData("photo != 'x'", "type error in when: attachment field 'photo' cannot be used in a condition")]
    [InlineData("hasChild in [true]", "type error in when: 'in' cannot be used on bool field 'hasChild'")]
    [InlineData("1 == 1", "type error in when: '1 == 1' compares 1 with 1; one side must be a field")]
    [InlineData("age == name", "type error in when: number field 'age' cannot be compared with text field 'name'")]
    [InlineData("bornOn < age", "type error in when: date field 'bornOn' cannot be compared with number field 'age'")]
    public void Type_errors_and_unknown_names_are_reported(string text, string expected)
    {
        var problem = Assert.Single(Check(text));

        Assert.StartsWith(expected, problem);
    }

    [Fact]
    public void Every_problem_in_a_condition_is_reported()
    {
        var problems = Check("hasKid or age == 'x' or channel in ['fax', 'mail']");

        Assert.Equal(4, problems.Count);
    }
}
