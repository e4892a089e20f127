using System.Security.Cryptography;
using System.Text;

namespace OneThing.Engine.Tests;

public class ShippedWorkflowsTests
{
    private readonly (DepartmentCatalogue Departments, IReadOnlyList<LoadedWorkflow> Workflows) loaded =
        WorkflowLoader.LoadDirectory(TestWorkflows.RepositoryWorkflowsDirectory());

    [Fact]
    public void The_shipped_workflows_directory_loads()
    {
        Assert.Contains(loaded.Workflows, workflow => workflow.Definition.Id == "identity-change");
        Assert.All(loaded.Workflows, workflow => Assert.EndsWith(".yaml", workflow.FileName));
    }

    [Fact]
    public void The_department_catalogue_lists_every_department_in_file_order()
    {
        string[] expected =
        [
            "household-registration", "public-security", "social-security", "medical-insurance", "housing-fund",
            "education", "real-estate-registration", "market-regulation", "tax", "bank", "traffic-police",
            "law-enforcement", "fire-rescue", "grid-worker", "property-management", "emergency-management",
            "ecology-environment", "transport", "community", "emergency-medical", "civil-affairs",
            "police-station", "eldercare-duty",
            "health", "employment", "agriculture-rural", "mediation-centre", "government-service",
            "seal-engraver", "port-shipping", "safety-committee",
        ];

        Assert.Equal(expected, loaded.Departments.All.Select(department => department.Code));
        Assert.Equal("公安户籍", loaded.Departments.Find("household-registration")!.Name.Zh);
        Assert.All(loaded.Departments.All, department => Assert.False(string.IsNullOrWhiteSpace(department.Name.En)));
    }

    [Fact]
    public void Identity_change_has_the_agreed_form_and_steps()
    {
        var definition = Identity().Definition;

        Assert.Equal(new Sla(5, SlaUnit.WorkDays), definition.Sla);
        foreach (var (key, type) in new[]
        {
            ("name", FieldType.Text), ("idNumber", FieldType.IdNumber), ("phone", FieldType.Mobile),
            ("newName", FieldType.Text), ("hasSchoolAgeChild", FieldType.Bool), ("ownsProperty", FieldType.Bool),
        })
        {
            var field = definition.FindField(key);
            Assert.NotNull(field);
            Assert.Equal(type, field.Type);
            Assert.True(field.Required, key);
            Assert.Equal(key is not ("hasSchoolAgeChild" or "ownsProperty"), field.Personal);
        }

        Assert.Equal(
            ["household", "social-security", "medical-insurance", "housing-fund", "education", "real-estate"],
            definition.Steps.Select(step => step.Id));
        var household = definition.FindStep("household")!;
        Assert.Empty(household.Needs);
        Assert.Equal(new Sla(1, SlaUnit.WorkDays), household.Sla);
        Assert.All(definition.Steps.Skip(1), step => Assert.Equal(["household"], step.Needs));
        Assert.Equal(StepKind.Automated, definition.FindStep("housing-fund")!.Kind);
        Assert.Equal("real-estate-registration", definition.FindStep("real-estate")!.Department);
        Assert.NotNull(definition.FindStep("education")!.When);
        Assert.NotNull(definition.FindStep("real-estate")!.When);
        Assert.NotNull(definition.FindStep("housing-fund")!.When);
        Assert.All(["guardianName", "guardianIdNumber", "guardianRelation"], key => Assert.Equal("isMinor", definition.FindField(key)!.RequiredWhenText));
        Assert.All(definition.Steps.Skip(1), step => Assert.Equal(SlaUnit.WorkHours, step.Sla!.Unit));
    }

    [Fact]
    public void Identity_change_shows_the_phone_number_only_to_those_who_need_it()
    {
        var definition = Identity().Definition;

        Assert.DoesNotContain("phone", definition.FindStep("education")!.Sees);
        Assert.DoesNotContain("phone", definition.FindStep("social-security")!.Sees);
        Assert.DoesNotContain("name", definition.FindStep("housing-fund")!.Sees);
        Assert.All(definition.Steps, step => Assert.Contains("newName", step.Sees));
    }

    [Fact]
    public void The_content_hash_is_the_sha256_of_the_source_text()
    {
        var workflow = Identity();
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workflow.SourceText.Replace("\r\n", "\n"))));

        Assert.Equal(expected, workflow.ContentHash);
        Assert.Matches("^[0-9a-f]{64}$", workflow.ContentHash);
    }

    private LoadedWorkflow Identity() => loaded.Workflows.Single(workflow => workflow.Definition.Id == "identity-change");
}
