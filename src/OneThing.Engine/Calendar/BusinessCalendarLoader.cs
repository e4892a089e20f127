using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>
/// Reads the calendar folder: office-hours.yaml (time zone and office periods) and one file per year of the
/// State Council's holiday notice (days off and adjusted working weekends).
/// </summary>
public static class BusinessCalendarLoader
{
    public const string OfficeHoursFileName = "office-hours.yaml";

    public static BusinessCalendar LoadDirectory(string directory)
    {
        var officeHoursPath = Path.Combine(directory, OfficeHoursFileName);
        if (!File.Exists(officeHoursPath))
        {
            throw new WorkflowValidationException([new WorkflowError(OfficeHoursFileName, null, $"missing: {officeHoursPath}")]);
        }

        var years = Directory.GetFiles(directory, "*.yaml")
            .Where(path => Path.GetFileName(path) != OfficeHoursFileName)
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path)));
        return Parse(File.ReadAllText(officeHoursPath), years);
    }

    public static BusinessCalendar Parse(string officeHoursYaml, IEnumerable<(string FileName, string Yaml)> yearFiles)
    {
        var errors = new List<WorkflowError>();
        var (timeZone, periods) = ParseOfficeHours(officeHoursYaml, errors);
        var daysOff = new List<DateOnly>();
        var workdays = new List<DateOnly>();
        var years = new List<int>();
        foreach (var (fileName, yaml) in yearFiles)
        {
            ParseYear(fileName, yaml, daysOff, workdays, years, errors);
        }

        if (errors.Count > 0)
        {
            throw new WorkflowValidationException(errors);
        }

        return new BusinessCalendar(timeZone!, periods, daysOff, workdays, years);
    }

    private static (TimeZoneInfo? TimeZone, List<OfficePeriod> Periods) ParseOfficeHours(string yaml, List<WorkflowError> errors)
    {
        var periods = new List<OfficePeriod>();
        var root = Root(OfficeHoursFileName, yaml, errors);
        if (root is null)
        {
            return (null, periods);
        }

        TimeZoneInfo? timeZone = null;
        var zoneId = Scalar(root, "timeZone") ?? "Asia/Shanghai";
        try
        {
            timeZone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (TimeZoneNotFoundException)
        {
            errors.Add(new WorkflowError(OfficeHoursFileName, null, $"unknown time zone '{zoneId}'"));
        }

        if (root.Children.TryGetValue(new YamlScalarNode("periods"), out var node) && node is YamlSequenceNode sequence)
        {
            foreach (var item in sequence.OfType<YamlMappingNode>())
            {
                if (TimeOnly.TryParseExact(Scalar(item, "from"), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                    && TimeOnly.TryParseExact(Scalar(item, "to"), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
                    && to > from)
                {
                    periods.Add(new OfficePeriod(from, to));
                }
                else
                {
                    errors.Add(new WorkflowError(OfficeHoursFileName, null,
                        $"office period at line {item.Start.Line} needs from and to as HH:mm with to after from"));
                }
            }
        }

        var ordered = periods.OrderBy(p => p.From).ToList();
        if (ordered.Count == 0)
        {
            errors.Add(new WorkflowError(OfficeHoursFileName, null, "at least one office period is required under 'periods'"));
        }
        else if (ordered.Zip(ordered.Skip(1)).Any(pair => pair.Second.From < pair.First.To))
        {
            errors.Add(new WorkflowError(OfficeHoursFileName, null, "office periods overlap"));
        }

        return (timeZone, ordered);
    }

    private static void ParseYear(string fileName, string yaml, List<DateOnly> daysOff, List<DateOnly> workdays, List<int> years,
        List<WorkflowError> errors)
    {
        var root = Root(fileName, yaml, errors);
        if (root is null)
        {
            return;
        }

        if (!int.TryParse(Scalar(root, "year"), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            errors.Add(new WorkflowError(fileName, null, "'year' is required, e.g. year: 2026"));
            return;
        }

        if (years.Contains(year))
        {
            errors.Add(new WorkflowError(fileName, null, $"year {year} is described by more than one file"));
        }

        years.Add(year);
        if (!root.Children.TryGetValue(new YamlScalarNode("holidays"), out var node) || node is not YamlSequenceNode holidays)
        {
            errors.Add(new WorkflowError(fileName, null, "'holidays' must be a list"));
            return;
        }

        foreach (var holiday in holidays.OfType<YamlMappingNode>())
        {
            var where = $"holiday at line {holiday.Start.Line}";
            if (!TryDate(Scalar(holiday, "from"), out var from) || !TryDate(Scalar(holiday, "to"), out var to) || to < from)
            {
                errors.Add(new WorkflowError(fileName, null, $"{where}: from and to must be yyyy-MM-dd dates with to not before from"));
                continue;
            }

            if (from.Year != year || to.Year != year)
            {
                errors.Add(new WorkflowError(fileName, null, $"{where}: dates must lie in {year}"));
            }

            for (var day = from; day <= to; day = day.AddDays(1))
            {
                daysOff.Add(day);
            }

            if (holiday.Children.TryGetValue(new YamlScalarNode("workdays"), out var adjusted) && adjusted is YamlSequenceNode adjustedDays)
            {
                foreach (var text in adjustedDays.OfType<YamlScalarNode>().Select(s => s.Value))
                {
                    if (!TryDate(text, out var workday) || workday.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                    {
                        errors.Add(new WorkflowError(fileName, null, $"{where}: adjusted workday '{text}' must be a Saturday or Sunday as yyyy-MM-dd"));
                        continue;
                    }

                    workdays.Add(workday);
                }
            }
        }
    }

    private static YamlMappingNode? Root(string fileName, string yaml, List<WorkflowError> errors)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.FirstOrDefault()?.RootNode is YamlMappingNode mapping)
            {
                return mapping;
            }

            errors.Add(new WorkflowError(fileName, null, "the file must be a YAML mapping"));
        }
        catch (YamlException ex)
        {
            errors.Add(new WorkflowError(fileName, null, $"YAML syntax error at line {ex.Start.Line}: {ex.Message}"));
        }

        return null;
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
