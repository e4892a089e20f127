namespace OneThing.Engine;

public sealed record OfficePeriod(TimeOnly From, TimeOnly To);

/// <summary>
/// Government working time in one time zone: weekends off, statutory holidays off, adjusted working weekends (调休)
/// on, and only office hours count. Pure: every answer follows from the data it was built with.
/// </summary>
public sealed class BusinessCalendar
{
    private readonly HashSet<DateOnly> _daysOff;
    private readonly HashSet<DateOnly> _adjustedWorkdays;
    private readonly HashSet<int> _coveredYears;

    public BusinessCalendar(
        TimeZoneInfo timeZone,
        IReadOnlyList<OfficePeriod> officeHours,
        IEnumerable<DateOnly> daysOff,
        IEnumerable<DateOnly> adjustedWorkdays,
        IEnumerable<int> coveredYears)
    {
        if (officeHours.Count == 0)
        {
            throw new ArgumentException("A business calendar needs at least one office period.", nameof(officeHours));
        }

        TimeZone = timeZone;
        OfficeHours = officeHours.OrderBy(p => p.From).ToList();
        for (var i = 0; i < OfficeHours.Count; i++)
        {
            if (OfficeHours[i].To <= OfficeHours[i].From || (i > 0 && OfficeHours[i].From < OfficeHours[i - 1].To))
            {
                throw new ArgumentException("Office periods must be ordered, non-empty and must not overlap.", nameof(officeHours));
            }
        }

        _daysOff = daysOff.ToHashSet();
        _adjustedWorkdays = adjustedWorkdays.ToHashSet();
        _coveredYears = coveredYears.ToHashSet();
    }

    public TimeZoneInfo TimeZone { get; }

    public IReadOnlyList<OfficePeriod> OfficeHours { get; }

    public TimeSpan WorkingDayLength => OfficeHours.Aggregate(TimeSpan.Zero, (sum, p) => sum + (p.To - p.From));

    /// <summary>Whether holiday data exists for the year; outside it only weekends are known.</summary>
    public bool Covers(int year) => _coveredYears.Contains(year);

    public bool IsWorkday(DateOnly day) =>
        _adjustedWorkdays.Contains(day)
        || (!_daysOff.Contains(day) && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    /// <summary>
    /// When an SLA that starts at <paramref name="start"/> falls due. Work days follow administrative practice: the
    /// day the matter starts is not counted, and the deadline is the close of office on the Nth working day after it.
    /// </summary>
    public DateTimeOffset DueAt(DateTimeOffset start, Sla sla) => sla.Unit switch
    {
        SlaUnit.WorkDays => CloseOfOffice(NthWorkdayAfter(LocalDate(start), sla.Amount)),
        SlaUnit.WorkHours => AddWorkingTime(start, TimeSpan.FromHours(sla.Amount)),
        SlaUnit.Minutes => start.AddMinutes(sla.Amount),
        SlaUnit.Hours => start.AddHours(sla.Amount),
        SlaUnit.Days => start.AddDays(sla.Amount),
        _ => throw new ArgumentOutOfRangeException(nameof(sla), sla.Unit, "Unknown SLA unit"),
    };

    /// <summary>How much of the SLA's own kind of time lies between two instants: office time for work-based SLAs.</summary>
    public TimeSpan Elapsed(DateTimeOffset from, DateTimeOffset to, Sla sla) =>
        IsWorkTime(sla) ? WorkingTimeBetween(from, to) : (to > from ? to - from : TimeSpan.Zero);

    /// <summary>A deadline moved on by a pause (补正): the time it was paused, counted the way the SLA counts time.</summary>
    public DateTimeOffset Extend(DateTimeOffset due, DateTimeOffset pausedFrom, DateTimeOffset resumedAt, Sla sla)
    {
        if (resumedAt <= pausedFrom)
        {
            return due;
        }

        return IsWorkTime(sla)
            ? AddWorkingTime(due, WorkingTimeBetween(pausedFrom, resumedAt))
            : due + (resumedAt - pausedFrom);
    }

    public static bool IsWorkTime(Sla sla) => sla.Unit is SlaUnit.WorkDays or SlaUnit.WorkHours;

    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var fromLocal = Local(from);
        var toLocal = Local(to);
        for (var day = DateOnly.FromDateTime(fromLocal); day <= DateOnly.FromDateTime(toLocal); day = day.AddDays(1))
        {
            if (!IsWorkday(day))
            {
                continue;
            }

            foreach (var period in OfficeHours)
            {
                var periodStart = day.ToDateTime(period.From);
                var periodEnd = day.ToDateTime(period.To);
                var start = periodStart > fromLocal ? periodStart : fromLocal;
                var end = periodEnd < toLocal ? periodEnd : toLocal;
                if (end > start)
                {
                    total += end - start;
                }
            }
        }

        return total;
    }

    /// <summary>
    /// The instant by which this much office time has passed since <paramref name="start"/>. A sum that ends exactly
    /// at the close of a period stays at that close, which is when such a deadline falls due.
    /// </summary>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan workingTime)
    {
        if (workingTime <= TimeSpan.Zero)
        {
            return start;
        }

        var cursor = Local(start);
        var remaining = workingTime;
        var day = DateOnly.FromDateTime(cursor);
        // A calendar year has far fewer than 400 working days, so this bound only stops malformed input.
        for (var guard = 0; guard < 366 * 20; guard++, day = day.AddDays(1))
        {
            if (!IsWorkday(day))
            {
                continue;
            }

            foreach (var period in OfficeHours)
            {
                var periodEnd = day.ToDateTime(period.To);
                var periodStart = day.ToDateTime(period.From);
                if (cursor >= periodEnd)
                {
                    continue;
                }

                var from = cursor > periodStart ? cursor : periodStart;
                var available = periodEnd - from;
                if (remaining <= available)
                {
                    return ToInstant(from + remaining);
                }

                remaining -= available;
                cursor = periodEnd;
            }
        }

        throw new InvalidOperationException("No working time found within twenty years; the calendar data is wrong.");
    }

    /// <summary>延期: the same time of day <paramref name="days"/> working days later; a deadline at closing stays at closing.</summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset instant, int days) => AddWorkingTime(instant, WorkingDayLength * days);

    public DateOnly NthWorkdayAfter(DateOnly day, int n)
    {
        var current = day;
        for (var found = 0; found < n;)
        {
            current = current.AddDays(1);
            if (IsWorkday(current))
            {
                found++;
            }
        }

        return current;
    }

    public DateTimeOffset CloseOfOffice(DateOnly day) => ToInstant(day.ToDateTime(OfficeHours[^1].To));

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant));

    private DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime;

    private DateTimeOffset ToInstant(DateTime local) => new(local, TimeZone.GetUtcOffset(local));
}
