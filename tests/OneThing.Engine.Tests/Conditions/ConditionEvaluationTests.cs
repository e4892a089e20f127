namespace OneThing.Engine.Tests;

public class ConditionEvaluationTests
{
    private static readonly FormData Form = TestWorkflows.Form(
        """
        { "hasChild": true, "ownsProperty": false, "age": 42, "share": 0.5, "channel": "window",
          "bornOn": "1983-06-15", "name": "张三", "nothing": null }
        """);

    [Theory]
    [InlineData("hasChild", true)]
    [InlineData("ownsProperty", false)]
    [InlineData("not ownsProperty", true)]
    [InlineData("hasChild == true", true)]
    [InlineData("hasChild != true", false)]
    [InlineData("age == 42", true)]
    [InlineData("age == 42.0", true)]
    [InlineData("age > 41 and age < 43", true)]
    [InlineData("age >= 43", false)]
    [InlineData("age <= 42", true)]
    [InlineData("share < 1", true)]
    [InlineData("42 == age", true)]
    [InlineData("channel == 'window'", true)]
    [InlineData("channel != 'online'", true)]
    [InlineData("channel in ['online', 'window']", true)]
    [InlineData("channel not in ['online', 'window']", false)]
    [InlineData("bornOn < '1990-01-01'", true)]
    [InlineData("bornOn >= '1983-06-16'", false)]
    [InlineData("bornOn == '1983-06-15'", true)]
    [InlineData("name == '张三'", true)]
    [InlineData("ownsProperty or age > 40", true)]
    [InlineData("ownsProperty or age > 50", false)]
    [InlineData("!(hasChild && ownsProperty)", true)]
    public void Conditions_evaluate_against_form_values(string text, bool expected)
    {
        Assert.Equal(expected, ConditionParser.Parse(text).Evaluate(Form));
    }

    [Theory]
    [InlineData("missing", false)]
    [InlineData("not missing", true)]
    [InlineData("missing == true", false)]
    [InlineData("missing == false", false)]
    [InlineData("missing != true", true)]
    [InlineData("missing < 3", false)]
    [InlineData("missing >= 3", false)]
    [InlineData("missing in ['a']", false)]
    [InlineData("nothing == 'x'", false)]
    [InlineData("nothing != 'x'", true)]
    [InlineData("nothing", false)]
    public void A_missing_or_null_value_fails_every_comparison_except_not_equal(string text, bool expected)
    {
        Assert.Equal(expected, ConditionParser.Parse(text).Evaluate(Form));
    }

    [Theory]
    [InlineData("age == '42'", false)]
    [InlineData("age != '42'", true)]
    [InlineData("name > 3", false)]
    [InlineData("channel", false)]
    public void Values_of_a_different_kind_never_match(string text, bool expected)
    {
        Assert.Equal(expected, ConditionParser.Parse(text).Evaluate(Form));
    }
}
