using System.Globalization;
using OneThing.Engine;

namespace OneThing.Cli;

/// <summary>
/// <c>calendar check --until &lt;date&gt; [--dir calendars]</c>: which years from today to the date (and at least the
/// next 60 days) have no holiday file, so that deadlines there would count weekends only.
/// </summary>
public static class CalendarCommands
{
    public const string Usage = "  onething calendar check --until <yyyy-MM-dd> [--dir directory]\n"
        + "                                                       list the years up to the date (at least the next 60 days) without a holiday calendar";

    public static int Check(string until, string directory, TimeProvider clock, TextWriter output, TextWriter error)
    {
        if (!DateOnly.TryParseExact(until, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var untilDate))
        {
            error.WriteLine($"--until '{until}' is not a date (yyyy-MM-dd)");
            return WorkflowCommands.Usage;
        }

        BusinessCalendar calendar;
        try
        {
            calendar = BusinessCalendarLoader.LoadDirectory(directory);
        }
        catch (Exception ex) when (ex is WorkflowValidationException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine(ex is WorkflowValidationException invalid ? string.Join(Environment.NewLine, invalid.Errors) : $"{directory}: {ex.Message}");
            return WorkflowCommands.Invalid;
        }

        var now = clock.GetUtcNow();
        var today = calendar.LocalDate(now);
        var last = Math.Max(untilDate.Year, calendar.LocalDate(now.AddDays(60)).Year);
        var missing = Enumerable.Range(today.Year, Math.Max(0, last - today.Year + 1)).Where(year => !calendar.Covers(year)).ToList();
        foreach (var year in Enumerable.Range(today.Year, Math.Max(0, last - today.Year + 1)))
        {
            output.WriteLine(missing.Contains(year) ? $"missing  {year}: deadlines count weekends only" : $"ok       {year}");
        }

        if (missing.Count == 0)
        {
            output.WriteLine($"Every year from {today:yyyy-MM-dd} to {untilDate:yyyy-MM-dd} has a holiday calendar.");
            return WorkflowCommands.Ok;
        }

        error.WriteLine($"No holiday calendar for {string.Join(", ", missing)}: add cn-<year>.yaml to {directory} from the State Council "
            + "notice (国务院办公厅关于放假安排的通知) once it is published; holiday dates are never guessed.");
        return WorkflowCommands.Invalid;
    }
}
