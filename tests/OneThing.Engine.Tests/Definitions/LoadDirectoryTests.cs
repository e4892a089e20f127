namespace OneThing.Engine.Tests;

public sealed class LoadDirectoryTests : IDisposable
{
    private const string Departments =
        """
        departments:
          - { code: registry, name: { zh: 户籍, en: Registry } }
        """;

    private readonly string directory = Directory.CreateTempSubdirectory("onething-workflows-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Workflow(string id, string department = "registry") =>
        $$"""
        id: {{id}}
        name: { zh: 流程, en: Flow }
        steps:
          - { id: only, name: { zh: 唯一, en: Only }, department: {{department}} }
        """;

    private void Write(string fileName, string text) => File.WriteAllText(Path.Combine(directory, fileName), text);

    [Fact]
    public void Workflows_are_read_in_file_name_order_from_yaml_and_yml_files_only()
    {
        Write("departments.yaml", Departments);
        Write("b-second.yml", Workflow("second"));
        Write("a-first.yaml", Workflow("first"));
        Write("notes.txt", "not a workflow");
        Directory.CreateDirectory(Path.Combine(directory, "drafts"));
        Write(Path.Combine("drafts", "draft.yaml"), "this: is not valid");

        var (departments, workflows) = WorkflowLoader.LoadDirectory(directory);

        Assert.True(departments.Contains("registry"));
        Assert.Equal(["a-first.yaml", "b-second.yml"], workflows.Select(workflow => workflow.FileName));
        Assert.Equal(["first", "second"], workflows.Select(workflow => workflow.Definition.Id));
    }

    [Fact]
    public void Errors_from_every_file_are_reported_together()
    {
        Write("departments.yaml", Departments);
        Write("a.yaml", Workflow("a", department: "nowhere"));
        Write("b.yaml", "id: b\n");
        Write("c.yaml", Workflow("c"));

        var exception = Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.LoadDirectory(directory));

        Assert.Contains("a.yaml: step 'only': unknown department 'nowhere'", exception.Errors.Select(error => error.ToString()));
        Assert.Contains(exception.Errors, error => error.File == "b.yaml");
        Assert.DoesNotContain(exception.Errors, error => error.File == "c.yaml");
    }

    [Fact]
    public void The_same_workflow_id_in_two_files_is_refused()
    {
        Write("departments.yaml", Departments);
        Write("one.yaml", Workflow("same"));
        Write("two.yaml", Workflow("same"));

        var exception = Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.LoadDirectory(directory));

        Assert.Equal("two.yaml: duplicate workflow id 'same', already defined in one.yaml", Assert.Single(exception.Errors).ToString());
    }

    [Fact]
    public void A_directory_without_departments_is_refused()
    {
        Write("one.yaml", Workflow("one"));

        var exception = Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.LoadDirectory(directory));

        Assert.Equal("departments.yaml", Assert.Single(exception.Errors).File);
    }
}
