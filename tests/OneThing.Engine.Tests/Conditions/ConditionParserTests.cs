namespace OneThing.Engine.Tests;

public class ConditionParserTests
{
    [Theory]
    [InlineData("a or b and c", "(a or (b and c))")]
    [InlineData("a and b or c", "((a and b) or c)")]
    [InlineData("(a or b) and c", "((a or b) and c)")]
    [InlineData("not a and b", "(not a and b)")]
    [InlineData("not (a and b)", "not (a and b)")]
    [InlineData("!a || b && c", "(not a or (b and c))")]
    [InlineData("a and b and c", "((a and b) and c)")]
    [InlineData("x == 1 or y != 'z'", "(x == 1 or y != 'z')")]
    [InlineData("age >= 18 and age < 60", "(age >= 18 and age < 60)")]
    [InlineData("not not a", "not not a")]
    public void Operators_bind_with_the_usual_precedence(string text, string expected)
    {
        Assert.Equal(expected, ConditionParser.Parse(text).ToString());
    }

    [Fact]
    public void A_comparison_parses_into_its_parts()
    {
        var condition = ConditionParser.Parse("hasSchoolAgeChild == true");

        Assert.Equal(
            new ComparisonCondition(new ReferenceOperand("hasSchoolAgeChild"), ComparisonOperator.Equal, new BoolLiteral(true)),
            condition);
    }

    [Fact]
    public void Literals_of_every_kind_parse()
    {
        Assert.Equal(new NumberLiteral(-2.5m), ((ComparisonCondition)ConditionParser.Parse("x > -2.5")).Right);
        Assert.Equal(new StringLiteral("it's"), ((ComparisonCondition)ConditionParser.Parse("x == \"it's\"")).Right);
        Assert.Equal(new StringLiteral("a'b"), ((ComparisonCondition)ConditionParser.Parse(@"x == 'a\'b'")).Right);
        Assert.Equal(new StringLiteral("2024-09-01"), ((ComparisonCondition)ConditionParser.Parse("bornOn < '2024-09-01'")).Right);
        Assert.Equal(new ConstantCondition(false), ConditionParser.Parse("false"));
    }

    [Fact]
    public void Membership_and_negated_membership_parse()
    {
        var membership = new MembershipCondition(
            new ReferenceOperand("district"),
            [new StringLiteral("jiangbei"), new StringLiteral("haishu")]);

        Assert.Equal(membership, ConditionParser.Parse("district in ['jiangbei', \"haishu\"]"));
        Assert.Equal(new NotCondition(membership), ConditionParser.Parse("district not in ['jiangbei', 'haishu']"));
        Assert.NotEqual(membership, ConditionParser.Parse("district in ['jiangbei']"));
    }

    [Fact]
    public void A_bare_name_is_a_truth_test()
    {
        Assert.Equal(new TruthCondition(new ReferenceOperand("ownsProperty")), ConditionParser.Parse("ownsProperty"));
        Assert.Equal(new NotCondition(new TruthCondition(new ReferenceOperand("ownsProperty"))), ConditionParser.Parse("not ownsProperty"));
    }

    [Fact]
    public void Dotted_names_already_parse_for_later_step_outcomes()
    {
        var condition = (ComparisonCondition)ConditionParser.Parse("steps.real-estate.outcome == 'resolved'");

        var reference = Assert.IsType<ReferenceOperand>(condition.Left);
        Assert.Equal("steps.real-estate.outcome", reference.Name);
        Assert.True(reference.IsDotted);
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("   ", 3, "empty")]
    [InlineData("age = 3", 4, "'=='")]
    [InlineData("age ==", 6, "expected a field name")]
    [InlineData("(a or b", 7, "expected ')'")]
    [InlineData("a b", 2, "unexpected 'b'")]
    [InlineData("name == 'open", 8, "unterminated string")]
    [InlineData("3", 0, "on its own is not a condition")]
    [InlineData("x in 'a'", 5, "expected '['")]
    [InlineData("x in [a]", 6, "only hold literals")]
    [InlineData("x in ['a' 'b']", 10, "expected ',' or ']'")]
    [InlineData("a & b", 2, "'&&'")]
    [InlineData("a | b", 2, "'||'")]
    [InlineData("a == #", 5, "unexpected character '#'")]
    [InlineData("a == 3x", 6, "in a number")]
    [InlineData("and a", 0, "expected a field name")]
    public void Syntax_errors_report_where_they_are(string text, int position, string fragment)
    {
        var exception = Assert.Throws<ConditionSyntaxException>(() => ConditionParser.Parse(text));

        Assert.Equal(position, exception.Position);
        Assert.Contains(fragment, exception.Message);
        Assert.EndsWith($"(at column {position + 1})", exception.Message);
    }
}
