namespace OneThing.Engine;

/// <summary>Who may join a department to a running case of this workflow (一键协同).</summary>
public enum Joiner { Supervisor, LeadDepartment }

/// <param name="By">Who may join; a workflow without a <c>joining</c> section lets supervisors only.</param>
/// <param name="LeadDepartment">The department whose reviewers may join when <paramref name="By"/> allows the lead department.</param>
public sealed record JoiningRule(IReadOnlyList<Joiner> By, string? LeadDepartment)
{
    public static readonly JoiningRule SupervisorsOnly = new([Joiner.Supervisor], null);

    public bool Allows(Joiner joiner, string? department) =>
        By.Contains(joiner) && (joiner == Joiner.Supervisor || (department is not null && department == LeadDepartment));
}
