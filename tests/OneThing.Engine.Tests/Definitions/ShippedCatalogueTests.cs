namespace OneThing.Engine.Tests;

public class ShippedCatalogueTests
{
    private readonly IReadOnlyList<LoadedWorkflow> workflows = WorkflowLoader.LoadDirectory(TestWorkflows.RepositoryWorkflowsDirectory()).Workflows;

    [Fact]
    public void Enterprise_opening_issues_the_licence_first_and_registers_every_new_employer_after_it_without_conditions()
    {
        var definition = Find("enterprise-opening");

        var licence = definition.FindStep("business-licence")!;
        Assert.Equal("market-regulation", licence.Department);
        Assert.Equal(["creditCode"], licence.Provides);
        Assert.Equal(FieldType.CreditCode, definition.FindField("creditCode")!.Type);
        foreach (var (step, department) in new[]
        {
            ("seal-engraving", "seal-engraver"), ("new-taxpayer", "tax"), ("social-insurance", "social-security"),
            ("medical-insurance", "medical-insurance"), ("housing-fund", "housing-fund"),
        })
        {
            Assert.Equal(department, definition.FindStep(step)!.Department);
            Assert.Equal(["business-licence"], definition.FindStep(step)!.Needs);
            Assert.Contains("creditCode", definition.FindStep(step)!.Sees);
        }

        Assert.All(["social-insurance", "medical-insurance", "housing-fund"], step => Assert.Null(definition.FindStep(step)!.When));
        Assert.Null(definition.FindField("hasEmployees"));
        Assert.Equal(("public-security", StepKind.Automated), (definition.FindStep("seal-record")!.Department, definition.FindStep("seal-record")!.Kind));
        Assert.Equal(["seal-engraving"], definition.FindStep("seal-record")!.Needs);
        Assert.Equal(["seal-record"], definition.FindStep("bank-account")!.Needs);
        Assert.Equal(["small-scale", "general"], definition.FindField("taxpayerType")!.Options);
        Assert.Equal(["ordinary", "ordinary-and-special", "none"], definition.FindField("invoiceTypes")!.Options);
        Assert.Contains("invoiceTypes", definition.FindStep("new-taxpayer")!.Sees);
    }

    [Fact]
    public void Enterprise_openings_critical_path_of_work_hours_fits_one_office_day_and_is_the_case_deadline()
    {
        var definition = Find("enterprise-opening");
        var officeDay = BusinessCalendarLoader.LoadDirectory(Path.Combine(TestWorkflows.RepositoryWorkflowsDirectory(), "calendars")).WorkingDayLength;

        var timed = definition.Steps.Where(step => step.Sla is not null).ToList();
        Assert.All(timed, step => Assert.Equal(SlaUnit.WorkHours, step.Sla!.Unit));
        Assert.Equal(timed.Count, definition.Steps.Count(step => step.Kind != StepKind.Notify));
        var criticalPath = LongestPathHours(definition);

        Assert.Equal(7, criticalPath);
        Assert.Equal(new Sla(criticalPath, SlaUnit.WorkHours), definition.Sla);
        Assert.True(TimeSpan.FromHours(criticalPath) <= officeDay, $"{criticalPath} h of work do not fit an office day of {officeDay}");
    }

    [Fact]
    public void Hazardous_chemicals_keeps_the_sites_risk_grade_on_the_form_apart_from_the_hidden_hazard_grade_emergency_management_decides()
    {
        var definition = Find("hazardous-chemicals");

        Assert.Equal(["major", "high", "moderate", "low"], definition.FindField("riskLevel")!.Options);
        Assert.Equal(["major-hazard", "ordinary-hazard", "not-a-hazard"], definition.FindStep("assess")!.Outcomes);
        Assert.Equal(TerritorialRole.Street, definition.FindField("street")!.Place);
        Assert.Equal(new PlaceRoute(TerritorialRole.Street, "street"), definition.FindStep("rectify")!.Place);
        var loop = Assert.Single(definition.Loops);
        Assert.Equal(["rectify", "verify"], loop.Steps);
        Assert.Equal("enforcement", loop.OnMax.Step);
        Assert.Equal(["closed-out", "not-rectified"], definition.FindStep("verify")!.Outcomes);
        Assert.Equal("emergency-management", definition.FindStep("verify")!.Department);
        Assert.Contains("rectificationReport", definition.FindStep("verify")!.Sees);
        Assert.Equal(new Sla(10, SlaUnit.Days), definition.FindStep("verify")!.Sla);
    }

    [Fact]
    public void A_major_hidden_hazard_in_port_brings_in_the_plan_listed_supervision_medical_rescue_public_security_and_port_and_shipping()
    {
        var definition = Find("hazardous-chemicals");
        var form = TestWorkflows.Form(
            """
            { "enterpriseName": "宁波甬北化工物流有限公司", "street": "yongjiang", "scenario": "loading", "atPort": true,
              "controlledChemical": false, "riskLevel": "high", "chemical": "甲醇", "location": "甬江港区3号泊位",
              "hazard": "装卸臂紧急切断装置失效", "contactPhone": "13712345678" }
            """);
        var started = CaseEngine.Start(definition, CaseId, form, FiledAt);

        var assessed = Assert.IsType<Applied>(CaseEngine.Apply(definition, started.State, form,
            new StepDecided("assess", TaskIds.For(CaseId, "assess"), Decision.Approve, null, "reviewer-1", "major-hazard"), FiledAt.AddHours(1)));

        Assert.Equal(
            ["transport", "port-shipping", "public-security", "fire-rescue", "ecology-environment", "market-regulation",
             "rectification-plan", "listed-supervision", "medical-rescue"],
            assessed.Effects.OfType<DispatchTask>().Select(task => task.StepId));
        Assert.Equal(["traffic-police"], assessed.Effects.OfType<SkipStep>().Select(skip => skip.StepId));
        Assert.Equal(StepStatus.Waiting, assessed.State.FindStep("rectify")!.Status);
    }

    private static readonly Guid CaseId = Guid.Parse("6d1e0c9a-51f4-4b2e-9a77-3c2b8e4f1a05");
    private static readonly DateTimeOffset FiledAt = new(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The most work hours any chain of needs adds up to: the time the case takes when every step uses its deadline.</summary>
    private static int LongestPathHours(WorkflowDefinition definition)
    {
        var finish = new Dictionary<string, int>();
        int FinishOf(StepDefinition step)
        {
            if (!finish.TryGetValue(step.Id, out var hours))
            {
                hours = (step.Sla?.Amount ?? 0) + step.Needs.Select(need => FinishOf(definition.FindStep(need)!)).DefaultIfEmpty(0).Max();
                finish[step.Id] = hours;
            }

            return hours;
        }

        return definition.Steps.Max(FinishOf);
    }

    [Fact]
    public void Fire_lane_and_water_meter_cases_are_opened_by_events_and_their_first_responders_have_30_minutes()
    {
        var fireLane = Find("fire-lane-blockage");
        var water = Find("elderly-water-alert");

        Assert.Equal(new IncidentSpec("fire-lane-blocked", "location", new Sla(2, SlaUnit.Hours)) { PlaceCodeField = "locationCode" }, fireLane.Incident);
        Assert.Equal(new IncidentSpec("water-meter-alert", "meterId", new Sla(12, SlaUnit.Hours)), water.Incident);
        Assert.Equal(new Sla(30, SlaUnit.Minutes), fireLane.FindStep("persuade")!.Sla);
        Assert.Equal(new Sla(30, SlaUnit.Minutes), water.FindStep("visit")!.Sla);
        Assert.Equal(["fire-order", "police-station"], fireLane.FindStep("persuade")!.OnBreach!.Start);
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
