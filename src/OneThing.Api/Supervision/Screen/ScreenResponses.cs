namespace OneThing.Api.Supervision.Screen;

/// <summary>一屏观天下: everything the governance centre's wall shows, in one read.</summary>
public sealed record GovernanceScreen(
    DateTimeOffset At,
    int OpenCases,
    LightCounts Tasks,
    IReadOnlyList<StreetCounts> ByStreet,
    IReadOnlyList<GroupLightCounts> ByWorkflow,
    IReadOnlyList<IncidentHotspot> Hotspots,
    BreachTrend Breaches);

/// <param name="Street">The street's code (街道/镇) from workflows/departments.yaml; null gathers the cases that lie in none.</param>
public sealed record StreetCounts(string? Street, int OpenCases, LightCounts Tasks);

/// <param name="Reports">Every report of the place's incident cases filed in the window, duplicates merged into a case included.</param>
public sealed record IncidentHotspot(string Place, int Cases, int Reports);

/// <summary>Tasks that missed their deadline, by the Beijing day the deadline passed; the last day of <see cref="Daily"/> is today.</summary>
public sealed record BreachTrend(int Last7Days, int Previous7Days, int Last30Days, int Previous30Days, IReadOnlyList<DayCount> Daily);

public sealed record DayCount(DateOnly Day, int Count);
