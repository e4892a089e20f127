namespace OneThing.Engine.Tests;

public class CategoryLoadingTests
{
    private static string Workflow(string? category) =>
        $$"""
        id: sample
        name: { zh: 示例, en: Sample }
        {{(category is null ? "" : $"category: {category}")}}
        form:
          - { key: name, label: { zh: 姓名, en: Name }, type: text, required: true }
        steps:
          - { id: household, name: { zh: 户籍, en: Household }, department: registry, sees: [name] }

        """;

    [Theory]
    [InlineData("personal")]
    [InlineData("enterprise")]
    [InlineData("governance")]
    public void A_known_category_is_read(string category) =>
        Assert.Equal(category, TestWorkflows.Parse(Workflow(category)).Category);

    [Fact]
    public void An_unknown_category_is_refused_naming_the_allowed_ones()
    {
        var error = Assert.Single(TestWorkflows.Refuse(Workflow("citizen")));

        Assert.Equal("bad.yaml: category 'citizen' must be one of personal, enterprise, governance", error.ToString());
    }

    [Fact]
    public void The_shipped_catalogue_names_a_category_in_every_file()
    {
        var folder = TestWorkflows.RepositoryWorkflowsDirectory();
        var files = Directory.GetFiles(folder, "*.yaml").Where(f => Path.GetFileName(f) != "departments.yaml").ToList();

        Assert.True(files.Count >= 13, $"{files.Count} workflow files in {folder}");
        Assert.All(files, file => Assert.Matches("(?m)^category: (personal|enterprise|governance)$", File.ReadAllText(file)));
    }
}
