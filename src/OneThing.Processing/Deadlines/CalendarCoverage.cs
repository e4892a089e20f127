using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Deadlines;

/// <summary>Calendar years that deadlines need but that have no holiday file: there they count weekends only.</summary>
public sealed record CalendarGap(IReadOnlyList<int> MissingYears)
{
    public bool IsCovered => MissingYears.Count == 0;

    public string Describe() => IsCovered
        ? "every year with an open deadline or within the next 60 days has a holiday calendar"
        : $"no holiday calendar for {string.Join(", ", MissingYears)}: deadlines there count weekends only, not statutory holidays "
          + "or adjusted working days; add workflows/calendars/cn-<year>.yaml from the State Council notice";
}

/// <summary>
/// Which years lack a holiday calendar while an open deadline or the next 60 days fall in them. Holiday dates are
/// published once a year by the State Council; they are never guessed, so a missing year is reported, not filled in.
/// </summary>
public sealed class CalendarCoverage(BusinessCalendar calendar, IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan LookAhead = TimeSpan.FromDays(60);

    /// <summary>The years from today to <paramref name="until"/> (inclusive) that no calendar file covers.</summary>
    public static IReadOnlyList<int> MissingBetween(BusinessCalendar calendar, DateOnly from, DateOnly until) =>
        Enumerable.Range(from.Year, Math.Max(0, until.Year - from.Year + 1)).Where(year => !calendar.Covers(year)).ToList();

    public async Task<CalendarGap> CheckAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = calendar.LocalDate(now);
        var years = new SortedSet<int>(Enumerable.Range(today.Year, calendar.LocalDate(now + LookAhead).Year - today.Year + 1));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        var openTasks = db.DepartmentTasks.Where(t => t.EndedAt == null && t.DueAt != null);
        var openCases = db.Cases.Where(c => c.EndedAt == null && c.DueAt != null);
        var latestTask = await openTasks.MaxAsync(t => t.DueAt, cancellationToken);
        var latestCase = await openCases.MaxAsync(c => c.DueAt, cancellationToken);
        var earliestTask = await openTasks.MinAsync(t => t.DueAt, cancellationToken);
        var earliestCase = await openCases.MinAsync(c => c.DueAt, cancellationToken);
        foreach (var due in new[] { latestTask, latestCase, earliestTask, earliestCase })
        {
            if (due is { } instant)
            {
                years.Add(calendar.LocalDate(instant).Year);
            }
        }

        // Open deadlines span from the earliest to the latest; a year in between is as much in use as the ends.
        var all = Enumerable.Range(years.Min, years.Max - years.Min + 1);
        return new CalendarGap(all.Where(year => !calendar.Covers(year)).ToList());
    }
}

/// <summary>A missing calendar year makes readiness Degraded (still 200): the service runs, its deadlines are less exact.</summary>
public sealed class CalendarCoverageHealthCheck(CalendarCoverage coverage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var gap = await coverage.CheckAsync(cancellationToken);
        return gap.IsCovered
            ? HealthCheckResult.Healthy(gap.Describe())
            : HealthCheckResult.Degraded(gap.Describe(), data: new Dictionary<string, object> { ["missingYears"] = gap.MissingYears });
    }
}

/// <summary>Says at start-up, once, which calendar years are missing.</summary>
public sealed class CalendarCoverageStartupWarning(CalendarCoverage coverage, ILogger<CalendarCoverageStartupWarning> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var gap = await coverage.CheckAsync(cancellationToken);
            if (!gap.IsCovered)
            {
                logger.LogWarning("Holiday calendar missing for {MissingYears}: {Detail}", gap.MissingYears, gap.Describe());
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Readiness reports the database; a failed look-up here must not stop the start.
            logger.LogWarning(ex, "Could not check holiday calendar coverage at start-up");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
