namespace OneThing.Engine;

/// <summary>The catalogue's groups: matters of a person (个人), of an enterprise (企业) and of governance (治理).</summary>
public static class WorkflowCategories
{
    public const string Personal = "personal";
    public const string Enterprise = "enterprise";
    public const string Governance = "governance";

    public static readonly IReadOnlyList<string> All = [Personal, Enterprise, Governance];
}
