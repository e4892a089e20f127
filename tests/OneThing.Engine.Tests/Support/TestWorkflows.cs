using System.Text.Json;

namespace OneThing.Engine.Tests;

internal static class TestWorkflows
{
    public static readonly DepartmentCatalogue Departments = DepartmentCatalogue.Parse(
        """
        departments:
          - code: registry
            name: { zh: 户籍, en: Registry }
          - code: pensions
            name: { zh: 社保, en: Pensions }
          - code: schools
            name: { zh: 教育, en: Schools }
          - code: land
            name: { zh: 不动产, en: Land }
          - code: archive
            name: { zh: 档案, en: Archive }
        """,
        "departments.yaml");

    /// <summary>a and b run at once; c joins them; d follows c.</summary>
    public const string FanOutAndJoin =
        """
        id: fan-out-and-join
        name: { zh: 并行与汇合, en: Fan-out and join }
        steps:
          - id: a
            name: { zh: 甲, en: A }
            department: registry
            sla: 1 workday
          - id: b
            name: { zh: 乙, en: B }
            department: pensions
            kind: automated
            sla: 4h
          - id: c
            name: { zh: 丙, en: C }
            department: schools
            needs: [a, b]
          - id: d
            name: { zh: 丁, en: D }
            department: archive
            needs: [c]
        """;

    /// <summary>first, then school (when hasChild) and land (when ownsProperty) in parallel; report needs school.</summary>
    public const string Conditional =
        """
        id: conditional
        name: { zh: 条件, en: Conditional }
        form:
          - key: hasChild
            label: { zh: 有子女, en: Has a child }
            type: bool
          - key: ownsProperty
            label: { zh: 有房产, en: Owns property }
            type: bool
        steps:
          - id: first
            name: { zh: 首步, en: First }
            department: registry
          - id: school
            name: { zh: 学籍, en: School }
            department: schools
            needs: [first]
            when: hasChild == true
          - id: land
            name: { zh: 不动产, en: Land }
            department: land
            needs: [first]
            when: ownsProperty
          - id: report
            name: { zh: 归档, en: Report }
            department: archive
            needs: [school]
        """;

    public static WorkflowDefinition Parse(string yaml) => WorkflowLoader.Parse(yaml, "test.yaml", Departments).Definition;

    public static IReadOnlyList<WorkflowError> Refuse(string yaml, string fileName = "bad.yaml") =>
        Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.Parse(yaml, fileName, Departments)).Errors;

    public static FormData Form(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FormData.FromJson(document.RootElement);
    }

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static string RepositoryWorkflowsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "workflows");
            if (File.Exists(Path.Combine(candidate, "departments.yaml")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No workflows/departments.yaml above {AppContext.BaseDirectory}.");
    }
}
