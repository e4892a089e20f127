namespace OneThing.Engine.Tests;

public class RequiredWhenTests
{
    private const string Form =
        """
        id: rename
        name: { zh: 更名, en: Rename }
        form:
          - { key: name, label: { zh: 姓名, en: Name }, type: text, required: true, personal: true }
          - { key: isMinor, label: { zh: 未成年, en: Minor }, type: bool, required: true }
          - { key: guardianName, label: { zh: 监护人姓名, en: Guardian }, type: text, personal: true, required_when: isMinor }
        """;

    private const string Steps =
        """

        steps:
          - { id: only, name: { zh: 唯一, en: Only }, department: registry }
        """;

    private static readonly WorkflowDefinition Definition = TestWorkflows.Parse(Form + Steps);

    [Fact]
    public void A_field_required_when_its_condition_holds_is_refused_when_missing_naming_the_condition()
    {
        var (form, errors) = FormValidator.Validate(Definition, TestWorkflows.Json("""{ "name": "张小明", "isMinor": true }"""));

        Assert.Null(form);
        var error = Assert.Single(errors);
        Assert.Equal("guardianName", error.Field);
        Assert.Contains("isMinor", error.MessageEn);
    }

    [Fact]
    public void The_same_field_may_be_left_out_when_the_condition_does_not_hold_and_is_kept_when_given()
    {
        var (adult, adultErrors) = FormValidator.Validate(Definition, TestWorkflows.Json("""{ "name": "张明", "isMinor": false }"""));
        var (minor, minorErrors) = FormValidator.Validate(Definition, TestWorkflows.Json("""{ "name": "张小明", "isMinor": true, "guardianName": " 张大山 " }"""));

        Assert.Empty(adultErrors);
        Assert.False(adult!.TryGet("guardianName", out _));
        Assert.Empty(minorErrors);
        Assert.True(minor!.TryGet("guardianName", out var guardian));
        Assert.Equal("张大山", guardian.GetString());
    }

    [Fact]
    public void A_condition_on_an_unknown_field_or_on_a_step_is_refused_at_load_naming_the_field()
    {
        var unknown = Assert.Single(TestWorkflows.Refuse(Form.Replace("required_when: isMinor", "required_when: isChild", StringComparison.Ordinal) + Steps));
        var onStep = Assert.Single(TestWorkflows.Refuse(Form.Replace("required_when: isMinor", "required_when: \"steps.only.outcome == 'approved'\"", StringComparison.Ordinal) + Steps));

        Assert.Equal("bad.yaml: field 'guardianName': unknown field 'isChild' in required_when", unknown.ToString());
        Assert.Contains("required_when may test other form fields only", onStep.ToString());
    }

    [Fact]
    public void A_field_both_required_and_required_when_is_refused()
    {
        var error = Assert.Single(TestWorkflows.Refuse(Form.Replace("required_when: isMinor", "required: true, required_when: isMinor", StringComparison.Ordinal) + Steps));

        Assert.Equal("bad.yaml: field 'guardianName': a field is either required or required_when, not both", error.ToString());
    }
}
