namespace OneThing.Engine;

/// <summary>
/// A step routed by place (块) instead of to a department (条): its task goes to the inbox of the unit at
/// <paramref name="Role"/> that contains the unit named by the form field <paramref name="Field"/>.
/// </summary>
public sealed record PlaceRoute(TerritorialRole Role, string Field)
{
    public override string ToString() => $"{Territory.RoleName(Role)} of {Field}";
}
