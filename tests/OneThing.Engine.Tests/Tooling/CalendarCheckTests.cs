using OneThing.Cli;

namespace OneThing.Engine.Tests;

public class CalendarCheckTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    [Fact]
    public void Check_names_a_year_without_a_calendar_file_within_the_next_60_days_and_fails()
    {
        var (code, output, error) = Run(new DateTimeOffset(2026, 12, 1, 9, 0, 0, Beijing), "calendar", "check", "--until", "2026-12-20");

        Assert.Equal(WorkflowCommands.Invalid, code);
        Assert.Contains("ok       2026", output);
        Assert.Contains("missing  2027", output);
        Assert.Contains("No holiday calendar for 2027", error);
        Assert.Contains("国务院办公厅关于放假安排的通知", error);
    }

    [Fact]
    public void Check_passes_when_every_year_up_to_the_date_has_a_calendar_file()
    {
        var (code, output, error) = Run(new DateTimeOffset(2025, 3, 1, 9, 0, 0, Beijing), "calendar", "check", "--until", "2026-09-30");

        Assert.Equal(WorkflowCommands.Ok, code);
        Assert.Empty(error);
        Assert.Contains("ok       2025", output);
        Assert.Contains("ok       2026", output);
        Assert.Contains("has a holiday calendar", output);
    }

    [Fact]
    public void Check_looks_up_to_the_given_date_even_beyond_60_days()
    {
        var (code, output, _) = Run(new DateTimeOffset(2026, 3, 1, 9, 0, 0, Beijing), "calendar", "check", "--until", "2028-01-01");

        Assert.Equal(WorkflowCommands.Invalid, code);
        Assert.Contains("missing  2027", output);
        Assert.Contains("missing  2028", output);
    }

    [Fact]
    public void Check_refuses_a_date_it_cannot_read()
    {
        var (code, _, error) = Run(new DateTimeOffset(2026, 3, 1, 9, 0, 0, Beijing), "calendar", "check", "--until", "2026-02-30");

        Assert.Equal(WorkflowCommands.Usage, code);
        Assert.Contains("not a date", error);
    }

    private static (int Code, string Output, string Error) Run(DateTimeOffset now, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var calendars = Path.Combine(TestWorkflows.RepositoryWorkflowsDirectory(), "calendars");
        var code = WorkflowCommands.Run([.. args, "--dir", calendars], output, error, new FixedClock(now));
        return (code, output.ToString(), error.ToString());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
