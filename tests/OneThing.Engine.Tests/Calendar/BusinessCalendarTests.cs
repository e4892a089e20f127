namespace OneThing.Engine.Tests.Calendar;

public sealed class BusinessCalendarTests
{
    private static readonly BusinessCalendar Shipped =
        BusinessCalendarLoader.LoadDirectory(Path.Combine(TestWorkflows.RepositoryWorkflowsDirectory(), "calendars"));

    private static DateTimeOffset Beijing(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static Sla Sla(string text) => Engine.Sla.TryParse(text, out var sla, out _) ? sla : throw new ArgumentException(text);

    [Theory]
    [InlineData("2026-10-01", false)] // National Day
    [InlineData("2026-10-07", false)]
    [InlineData("2026-10-08", true)]  // Thursday after the holiday
    [InlineData("2026-10-10", true)]  // 调休 Saturday
    [InlineData("2026-09-20", true)]  // 调休 Sunday
    [InlineData("2026-10-11", false)] // ordinary Sunday
    [InlineData("2026-02-14", true)]  // Saturday before the Spring Festival, worked
    [InlineData("2026-02-16", false)] // Spring Festival Monday
    [InlineData("2025-01-26", true)]  // 2025 Spring Festival 调休 Sunday
    [InlineData("2025-10-08", false)]
    [InlineData("2026-11-23", true)]  // ordinary Monday
    public void Knows_holidays_and_adjusted_working_weekends(string day, bool isWorkday) =>
        Assert.Equal(isWorkday, Shipped.IsWorkday(DateOnly.Parse(day)));

    [Fact]
    public void A_case_filed_on_the_last_working_day_before_national_day_falls_due_after_the_holiday()
    {
        var due = Shipped.DueAt(Beijing(2026, 9, 30, 10, 0), Sla("1 workday"));

        Assert.Equal(Beijing(2026, 10, 8, 17, 30), due);
    }

    [Fact]
    public void An_adjusted_working_saturday_counts_as_a_working_day()
    {
        // Thursday 8 Oct is day 1, Friday 9 Oct day 2, Saturday 10 Oct (调休) day 3.
        Assert.Equal(Beijing(2026, 10, 10, 17, 30), Shipped.DueAt(Beijing(2026, 9, 30, 15, 0), Sla("3 workdays")));
    }

    [Fact]
    public void A_deadline_computed_on_a_holiday_starts_counting_after_it()
    {
        Assert.Equal(Beijing(2026, 10, 8, 17, 30), Shipped.DueAt(Beijing(2026, 10, 3, 9, 0), Sla("1 workday")));
        Assert.Equal(Beijing(2026, 10, 8, 10, 30), Shipped.DueAt(Beijing(2026, 10, 3, 9, 0), Sla("2 workhours")));
    }

    [Fact]
    public void Work_days_cross_the_turn_of_the_year_and_new_years_day()
    {
        // 31 Dec 2025 is a Wednesday; 1-3 Jan 2026 are off; Sunday 4 Jan is worked.
        Assert.Equal(Beijing(2026, 1, 4, 17, 30), Shipped.DueAt(Beijing(2025, 12, 31, 16, 0), Sla("1 workday")));
        Assert.Equal(Beijing(2026, 1, 5, 17, 30), Shipped.DueAt(Beijing(2025, 12, 31, 16, 0), Sla("2 workdays")));
    }

    [Fact]
    public void Work_hours_skip_lunch_nights_and_weekends()
    {
        Assert.Equal(Beijing(2026, 11, 23, 14, 0), Shipped.DueAt(Beijing(2026, 11, 23, 11, 30), Sla("1 workhour")));
        Assert.Equal(Beijing(2026, 11, 30, 9, 30), Shipped.DueAt(Beijing(2026, 11, 27, 16, 30), Sla("2 workhours")));
        Assert.Equal(Beijing(2026, 11, 23, 16, 0), Shipped.DueAt(Beijing(2026, 11, 23, 7, 0), Sla("6 workhours")));
    }

    [Fact]
    public void Work_hours_that_end_exactly_at_closing_time_fall_due_at_closing_time()
    {
        Assert.Equal(Beijing(2026, 11, 23, 17, 30), Shipped.DueAt(Beijing(2026, 11, 23, 16, 30), Sla("1 workhour")));
        Assert.Equal(Beijing(2026, 11, 23, 12, 0), Shipped.DueAt(Beijing(2026, 11, 23, 11, 0), Sla("1 workhour")));
    }

    [Fact]
    public void Work_hours_filed_at_closing_time_start_the_next_working_morning()
    {
        Assert.Equal(Beijing(2026, 11, 24, 9, 30), Shipped.DueAt(Beijing(2026, 11, 23, 17, 30), Sla("1 workhour")));
    }

    [Fact]
    public void Wall_clock_slas_ignore_the_calendar()
    {
        Assert.Equal(Beijing(2026, 10, 1, 3, 30), Shipped.DueAt(Beijing(2026, 10, 1, 3, 0), Sla("30m")));
        Assert.Equal(Beijing(2026, 10, 3, 3, 0), Shipped.DueAt(Beijing(2026, 10, 1, 3, 0), Sla("2d")));
    }

    [Fact]
    public void Working_time_between_two_instants_counts_only_office_hours()
    {
        Assert.Equal(TimeSpan.FromHours(7.5), Shipped.WorkingTimeBetween(Beijing(2026, 11, 23), Beijing(2026, 11, 24)));
        Assert.Equal(TimeSpan.Zero, Shipped.WorkingTimeBetween(Beijing(2026, 10, 1), Beijing(2026, 10, 8)));
        Assert.Equal(TimeSpan.FromMinutes(30), Shipped.WorkingTimeBetween(Beijing(2026, 11, 23, 11, 30), Beijing(2026, 11, 23, 13, 45)) - TimeSpan.FromMinutes(15));
    }

    [Fact]
    public void A_pause_moves_a_work_day_deadline_by_the_working_time_paused()
    {
        var due = Beijing(2026, 11, 25, 17, 30);
        // Paused Monday 16:30 to Tuesday 09:30: one working hour before closing plus one the next morning.
        var extended = Shipped.Extend(due, Beijing(2026, 11, 23, 16, 30), Beijing(2026, 11, 24, 9, 30), Sla("3 workdays"));

        Assert.Equal(Beijing(2026, 11, 26, 10, 30), extended);
    }

    [Fact]
    public void A_pause_over_a_weekend_does_not_move_a_work_deadline_but_moves_a_wall_clock_one()
    {
        var due = Beijing(2026, 12, 1, 17, 30);
        var from = Beijing(2026, 11, 28, 9, 0);
        var to = Beijing(2026, 11, 29, 18, 0);

        Assert.Equal(due, Shipped.Extend(due, from, to, Sla("2 workdays")));
        Assert.Equal(due + (to - from), Shipped.Extend(due, from, to, Sla("4h")));
    }

    [Fact]
    public void The_shipped_calendar_covers_2025_and_2026()
    {
        Assert.True(Shipped.Covers(2025));
        Assert.True(Shipped.Covers(2026));
        Assert.False(Shipped.Covers(2027));
        Assert.Equal(TimeSpan.FromHours(7.5), Shipped.WorkingDayLength);
    }

    [Fact]
    public void An_extension_of_working_days_keeps_a_closing_deadline_at_closing_and_skips_the_holiday()
    {
        // 30 September is the last working day before National Day; 8, 9 and 10 (调休 Saturday) October are the next three.
        Assert.Equal(Beijing(2026, 10, 10, 17, 30), Shipped.AddWorkingDays(Beijing(2026, 9, 30, 17, 30), 3));
        Assert.Equal(Beijing(2026, 10, 12, 10, 0), Shipped.AddWorkingDays(Beijing(2026, 10, 9, 10, 0), 2));
    }

    [Fact]
    public void A_calendar_file_with_a_weekday_as_adjusted_workday_is_refused_naming_the_file()
    {
        var error = Assert.Throws<WorkflowValidationException>(() => BusinessCalendarLoader.Parse(
            "periods: [ { from: '08:30', to: '12:00' } ]",
            [("cn-2027.yaml", "year: 2027\nholidays:\n  - { from: 2027-01-01, to: 2027-01-01, workdays: [2027-01-06] }\n")]));

        Assert.Contains("cn-2027.yaml", error.Message);
        Assert.Contains("2027-01-06", error.Message);
    }

    [Fact]
    public void Overlapping_office_periods_are_refused()
    {
        var error = Assert.Throws<WorkflowValidationException>(() => BusinessCalendarLoader.Parse(
            "periods: [ { from: '08:30', to: '12:00' }, { from: '11:00', to: '17:30' } ]", []));

        Assert.Contains("overlap", error.Message);
    }
}
