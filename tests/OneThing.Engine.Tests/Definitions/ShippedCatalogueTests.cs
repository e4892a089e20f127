namespace OneThing.Engine.Tests;

public class ShippedCatalogueTests
{
    private readonly IReadOnlyList<LoadedWorkflow> workflows = WorkflowLoader.LoadDirectory(TestWorkflows.RepositoryWorkflowsDirectory()).Workflows;

    [Fact]
    public void Enterprise_opening_issues_the_licence_first_and_runs_everything_else_in_parallel_within_one_working_day()
    {
        var definition = Find("enterprise-opening");

        Assert.Equal(new Sla(1, SlaUnit.WorkDays), definition.Sla);
        var licence = definition.FindStep("business-licence")!;
        Assert.Equal("market-regulation", licence.Department);
        Assert.Equal(["creditCode"], licence.Provides);
        Assert.Equal(FieldType.CreditCode, definition.FindField("creditCode")!.Type);
        foreach (var step in new[] { "seal-engraving", "tax-registration", "social-insurance", "housing-fund", "bank-account" })
        {
            Assert.Equal(["business-licence"], definition.FindStep(step)!.Needs);
            Assert.Contains("creditCode", definition.FindStep(step)!.Sees);
        }
    }

    [Fact]
    public void Fire_lane_and_water_meter_cases_are_opened_by_events_and_their_first_responders_have_30_minutes()
    {
        var fireLane = Find("fire-lane-blockage");
        var water = Find("elderly-water-alert");

        Assert.Equal(new IncidentSpec("fire-lane-blocked", "location", new Sla(2, SlaUnit.Hours)) { PlaceCodeField = "locationCode" }, fireLane.Incident);
        Assert.Equal(("water-meter-alert", "meterId", new Sla(12, SlaUnit.Hours)), (water.Incident!.Event, water.Incident.PlaceField, water.Incident.MergeWindow));
        Assert.Equal(Registers.EnrolledElders, water.Incident.Register!.Name);
        Assert.Equal(["address", "familyPhone", "grid", "residentName"], water.Incident.Register.Fill.Keys.Order());
        Assert.Equal(new Sla(30, SlaUnit.Minutes), fireLane.FindStep("persuade")!.Sla);
        Assert.Equal(new Sla(30, SlaUnit.Minutes), water.FindStep("visit")!.Sla);
        Assert.Equal(["fire-order", "police-station", "street-office"], fireLane.FindStep("persuade")!.OnBreach!.Start);
        Assert.Equal(["on-duty"], water.FindStep("visit")!.OnBreach!.Start);
        Assert.Empty(water.FindStep("tell-family")!.Needs);
    }

    [Fact]
    public void Every_department_of_the_catalogue_is_in_the_department_list_and_every_name_is_bilingual()
    {
        var (departments, _) = WorkflowLoader.LoadDirectory(TestWorkflows.RepositoryWorkflowsDirectory());

        Assert.All(workflows.SelectMany(w => w.Definition.Steps), step =>
        {
            Assert.False(string.IsNullOrWhiteSpace(step.Name.Zh));
            Assert.False(string.IsNullOrWhiteSpace(step.Name.En));
            Assert.True(step.Department is null || departments.Contains(step.Department), step.Id);
        });
        Assert.Contains(workflows, w => w.Definition.Steps.Any(s => s.Kind == StepKind.Wait));
        Assert.Contains(workflows, w => w.Definition.Steps.Any(s => s.OnReject == RejectionPolicy.Continue));
    }

    private WorkflowDefinition Find(string id) => workflows.Single(w => w.Definition.Id == id).Definition;
}
