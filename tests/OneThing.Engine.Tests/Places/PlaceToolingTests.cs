using System.Text.Json;
using OneThing.Cli;

namespace OneThing.Engine.Tests;

public class PlaceToolingTests
{
    [Fact]
    public void The_json_schema_knows_the_place_keys_the_loader_accepts()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestWorkflows.RepositoryWorkflowsDirectory(), "schema", "workflow.schema.json")));
        var properties = schema.RootElement.GetProperty("properties");
        var incidentKeys = properties.GetProperty("incident").GetProperty("properties").EnumerateObject().Select(p => p.Name);
        var place = schema.RootElement.GetProperty("$defs").GetProperty("step").GetProperty("properties").GetProperty("place");
        var routeKeys = place.GetProperty("properties").EnumerateObject().Select(p => p.Name);
        var roles = place.GetProperty("properties").GetProperty("role").GetProperty("enum").EnumerateArray().Select(r => r.GetString());
        var fieldRoles = properties.GetProperty("form").GetProperty("items").GetProperty("properties").GetProperty("place").GetProperty("enum")
            .EnumerateArray().Select(r => r.GetString());

        Assert.Equal(IncidentReader.Keys.Order(), incidentKeys.Order());
        Assert.Equal(PlaceReader.RouteKeys.Order(), routeKeys.Order());
        var known = Enum.GetValues<TerritorialRole>().Select(Territory.RoleName).Order();
        Assert.Equal(known, roles.Order());
        Assert.Equal(known, fieldRoles.Order());
    }

    [Fact]
    public void Validate_refuses_a_step_routed_by_an_unknown_role_naming_the_file_and_the_step()
    {
        var directory = Directory.CreateTempSubdirectory("onething-places-").FullName;
        try
        {
            File.Copy(Path.Combine(TestWorkflows.RepositoryWorkflowsDirectory(), "departments.yaml"), Path.Combine(directory, "departments.yaml"));
            File.WriteAllText(Path.Combine(directory, "by-block.yaml"), """
                id: by-block
                name: { zh: 按片区, en: By block }
                form:
                  - { key: grid, label: { zh: 网格, en: Grid }, type: text, required: true, place: grid }
                steps:
                  - { id: visit, name: { zh: 上门, en: Visit }, place: { role: block, field: grid } }
                """);
            var output = new StringWriter();
            var error = new StringWriter();

            var code = WorkflowCommands.Run(["workflows", "validate", directory], output, error);

            Assert.Equal(WorkflowCommands.Invalid, code);
            Assert.Contains("by-block.yaml: step 'visit': place: unknown territorial role 'block'; use street, community or grid", error.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_shipped_departments_hold_jiangbeis_eight_streets_and_towns_and_every_unit_lies_in_one()
    {
        var (departments, workflows) = WorkflowLoader.LoadDirectory(TestWorkflows.RepositoryWorkflowsDirectory());
        var territory = departments.Territory;

        Assert.Equal(["甬江街道", "庄桥街道", "洪塘街道", "慈城镇", "前江街道", "外滩街道", "文教街道", "孔浦街道"], territory.Streets.Select(s => s.Name.Zh));
        Assert.All(territory.All, unit => Assert.NotNull(territory.StreetOf(unit.Code)));
        var water = workflows.Single(w => w.Definition.Id == "elderly-water-alert").Definition;
        Assert.Equal(new PlaceRoute(TerritorialRole.Grid, "grid"), water.FindStep("visit")!.Place);
        Assert.Equal(new PlaceRoute(TerritorialRole.Community, "grid"), water.FindStep("community")!.Place);
        Assert.Equal("locationCode", workflows.Single(w => w.Definition.Id == "fire-lane-blockage").Definition.Incident!.PlaceCodeField);
    }
}
