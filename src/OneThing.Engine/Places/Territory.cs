namespace OneThing.Engine;

/// <summary>The tiers of 块 (territorial) routing, coarsest first: 街道/镇, 社区/村, 网格.</summary>
public enum TerritorialRole { Street, Community, Grid }

/// <param name="Parent">The unit one tier up: a community's street, a grid's community; null for a street.</param>
public sealed record TerritorialUnit(string Code, TerritorialRole Role, LocalizedText Name, string? Parent);

/// <summary>
/// The territorial units of the district, read from the <c>units</c> section of departments.yaml. A unit is an inbox
/// like a department: a task routed by place carries the unit's code where a department's would be.
/// </summary>
public sealed class Territory
{
    public static readonly Territory Empty = new([]);

    private readonly Dictionary<string, TerritorialUnit> byCode;

    public Territory(IReadOnlyList<TerritorialUnit> units)
    {
        All = units;
        byCode = units.ToDictionary(unit => unit.Code, StringComparer.Ordinal);
    }

    /// <summary>In file order.</summary>
    public IReadOnlyList<TerritorialUnit> All { get; }

    public IEnumerable<TerritorialUnit> Streets => All.Where(unit => unit.Role == TerritorialRole.Street);

    public bool Contains(string code) => byCode.ContainsKey(code);

    public TerritorialUnit? Find(string? code) => code is null ? null : byCode.GetValueOrDefault(code);

    /// <summary>A code as a reporter or a camera may type it: full-width letters, capitals and stray spaces are forgiven.</summary>
    public TerritorialUnit? FindTyped(string? code) => code is null ? null : Find(PlaceText.NormaliseCode(code));

    /// <summary>The unit at <paramref name="role"/> that contains the unit <paramref name="code"/> (the unit itself at its own role); null when none does.</summary>
    public TerritorialUnit? Locate(string? code, TerritorialRole role)
    {
        var unit = FindTyped(code);
        while (unit is not null && unit.Role > role)
        {
            unit = Find(unit.Parent);
        }

        return unit?.Role == role ? unit : null;
    }

    /// <summary>The street (街道/镇) a unit lies in, for the supervisor's filter.</summary>
    public TerritorialUnit? StreetOf(string? code) => Locate(code, TerritorialRole.Street);

    public static string RoleName(TerritorialRole role) => role switch
    {
        TerritorialRole.Street => "street",
        TerritorialRole.Community => "community",
        _ => "grid",
    };

    public static LocalizedText RoleLabel(TerritorialRole role) => role switch
    {
        TerritorialRole.Street => new LocalizedText("街道/镇", "street or town"),
        TerritorialRole.Community => new LocalizedText("社区/村", "community or village"),
        _ => new LocalizedText("网格", "grid"),
    };

    public static TerritorialRole? ParseRole(string? name) => name switch
    {
        "street" => TerritorialRole.Street,
        "community" => TerritorialRole.Community,
        "grid" => TerritorialRole.Grid,
        _ => null,
    };
}
