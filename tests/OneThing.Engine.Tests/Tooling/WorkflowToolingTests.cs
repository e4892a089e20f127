using System.Text.Json;
using OneThing.Cli;

namespace OneThing.Engine.Tests;

public class WorkflowToolingTests
{
    private static readonly string[] Catalogue =
        [
            "after-death", "cooking-fume-nuisance", "elderly-water-alert", "employee-hiring", "enterprise-opening", "fire-lane-blockage",
            "hazardous-chemicals", "identity-change", "mediation-intake", "newborn-birth", "open-burning", "rating-rectification",
            "shared-commercial-premises",
        ];

    [Fact]
    public void Validate_accepts_the_shipped_catalogue_and_lists_each_workflow()
    {
        var (code, output, error) = Run("workflows", "validate", TestWorkflows.RepositoryWorkflowsDirectory());

        Assert.Equal(WorkflowCommands.Ok, code);
        Assert.Empty(error);
        Assert.Contains($"{Catalogue.Length} workflows are valid.", output);
        Assert.All(Catalogue, id => Assert.Contains($": {id} (", output));
    }

    [Fact]
    public void Validate_refuses_a_bad_file_naming_the_file_the_step_and_the_problem()
    {
        var directory = Directory.CreateTempSubdirectory("onething-cli-").FullName;
        try
        {
            File.Copy(Path.Combine(TestWorkflows.RepositoryWorkflowsDirectory(), "departments.yaml"), Path.Combine(directory, "departments.yaml"));
            File.WriteAllText(Path.Combine(directory, "broken.yaml"), """
                id: broken
                name: { zh: 坏, en: Broken }
                steps:
                  - { id: persuade, name: { zh: 劝离, en: Persuade }, department: property-management, outcomes: [resolved] }
                  - { id: police, name: { zh: 交警, en: Police }, department: traffic-police, needs: [persuade], when: "steps.persuade.outcome == 'solved'" }
                """);

            var (code, output, error) = Run("workflows", "validate", directory);

            Assert.Equal(WorkflowCommands.Invalid, code);
            Assert.DoesNotContain("valid", output);
            Assert.Contains("broken.yaml: step 'police': type error in when: 'solved' is not an option", error);
            Assert.Contains("1 problem in 1 file.", error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Diagram_prints_a_mermaid_flowchart_with_conditions_joins_and_breach_arrows()
    {
        var (code, output, _) = Run("workflows", "diagram", "fire-lane-blockage", "--dir", TestWorkflows.RepositoryWorkflowsDirectory());

        Assert.Equal(WorkflowCommands.Ok, code);
        Assert.StartsWith("flowchart TD", output);
        Assert.Contains("s_persuade[\"物业劝离<br/>Property management asks the owner to move<br/>物业服务企业 · 30m<br/>resolved | unresolved\"]", output);
        Assert.Contains("s_persuade -->|\"steps.persuade.outcome in ['unresolved', 'breached'] and publicRoad\"| s_traffic_police", output);
        Assert.Contains("s_persuade -.->|\"超时 / breach\"| s_police_station", output);
        Assert.Contains("s_fire_order --> s_verify", output);
        Assert.Contains("s_persuade -->|\"case.reports #gt;= 3 or place.cases90d #gt;= 3\"| s_fire_inspection", output);
        Assert.Contains("s_tell_reporter>", output);
        Assert.Contains("s_tell_reporter --> finish", output);
    }

    [Fact]
    public void Diagram_of_an_unknown_workflow_and_unknown_commands_fail_with_a_message()
    {
        var unknown = Run("workflows", "diagram", "no-such-thing", "--dir", TestWorkflows.RepositoryWorkflowsDirectory());
        var usage = Run("workflows", "draw");

        Assert.Equal(WorkflowCommands.Invalid, unknown.Code);
        Assert.Contains("No workflow 'no-such-thing'; there are: after-death, cooking-fume-nuisance", unknown.Error);
        Assert.Equal(WorkflowCommands.Usage, usage.Code);
        Assert.Contains("usage:", usage.Error);
    }

    [Fact]
    public void Every_shipped_workflow_points_at_the_schema_and_renders_a_node_per_step()
    {
        var (departments, workflows) = WorkflowLoader.LoadDirectory(TestWorkflows.RepositoryWorkflowsDirectory());

        Assert.Equal(Catalogue, workflows.Select(w => w.Definition.Id).Order());
        foreach (var workflow in workflows)
        {
            Assert.StartsWith("# yaml-language-server: $schema=./schema/workflow.schema.json", workflow.SourceText);
            var diagram = MermaidDiagram.Render(workflow.Definition, departments);
            Assert.All(workflow.Definition.Steps, step => Assert.Contains($"s_{step.Id.Replace('-', '_')}", diagram));
        }
    }

    [Fact]
    public void The_json_schema_knows_every_key_the_loader_accepts()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestWorkflows.RepositoryWorkflowsDirectory(), "schema", "workflow.schema.json")));
        var root = schema.RootElement;
        var rootKeys = root.GetProperty("properties").EnumerateObject().Select(p => p.Name);
        var fieldKeys = root.GetProperty("properties").GetProperty("form").GetProperty("items").GetProperty("properties").EnumerateObject().Select(p => p.Name);
        var stepKeys = root.GetProperty("$defs").GetProperty("step").GetProperty("properties").EnumerateObject().Select(p => p.Name);
        var loopKeys = root.GetProperty("properties").GetProperty("loops").GetProperty("items").GetProperty("properties").EnumerateObject().Select(p => p.Name);
        var verificationKeys = root.GetProperty("$defs").GetProperty("step").GetProperty("properties").GetProperty("verifies").GetProperty("properties")
            .EnumerateObject().Select(p => p.Name);

        Assert.Equal(WorkflowLoader.RootKeys.Order(), rootKeys.Order());
        Assert.Equal(WorkflowLoader.FieldKeys.Order(), fieldKeys.Order());
        Assert.Equal(WorkflowLoader.StepKeys.Order(), stepKeys.Order());
        Assert.Equal(WorkflowLoader.LoopKeys.Order(), loopKeys.Order());
        Assert.Equal(WorkflowLoader.VerificationKeys.Order(), verificationKeys.Order());
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = WorkflowCommands.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
