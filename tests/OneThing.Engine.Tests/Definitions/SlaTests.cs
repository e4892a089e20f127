namespace OneThing.Engine.Tests;

public class SlaTests
{
    [Theory]
    [InlineData("1 workday", 1, SlaUnit.WorkDays, "1 workday")]
    [InlineData("3 workdays", 3, SlaUnit.WorkDays, "3 workdays")]
    [InlineData("4 workhours", 4, SlaUnit.WorkHours, "4 workhours")]
    [InlineData("1 workhour", 1, SlaUnit.WorkHours, "1 workhour")]
    [InlineData("30m", 30, SlaUnit.Minutes, "30m")]
    [InlineData("30 minutes", 30, SlaUnit.Minutes, "30m")]
    [InlineData("4h", 4, SlaUnit.Hours, "4h")]
    [InlineData("4 hours", 4, SlaUnit.Hours, "4h")]
    [InlineData("2d", 2, SlaUnit.Days, "2d")]
    [InlineData(" 2 Days ", 2, SlaUnit.Days, "2d")]
    public void Slas_parse_and_print_canonically(string text, int amount, SlaUnit unit, string canonical)
    {
        Assert.True(Sla.TryParse(text, out var sla, out var error));

        Assert.Null(error);
        Assert.Equal(new Sla(amount, unit), sla);
        Assert.Equal(canonical, sla.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("0 workdays")]
    [InlineData("-1d")]
    [InlineData("1.5h")]
    [InlineData("3 weeks")]
    [InlineData("workdays 3")]
    [InlineData("99999999999 days")]
    public void Malformed_slas_are_refused_with_a_reason(string text)
    {
        Assert.False(Sla.TryParse(text, out var sla, out var error));

        Assert.Null(sla);
        Assert.Contains($"'{text}'", error);
    }

    [Fact]
    public void The_canonical_text_parses_back_to_the_same_sla()
    {
        foreach (var unit in Enum.GetValues<SlaUnit>())
        {
            foreach (var amount in new[] { 1, 7 })
            {
                var sla = new Sla(amount, unit);
                Assert.True(Sla.TryParse(sla.ToString(), out var parsed, out _));
                Assert.Equal(sla, parsed);
            }
        }
    }
}
