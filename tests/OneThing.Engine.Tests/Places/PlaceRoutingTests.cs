namespace OneThing.Engine.Tests;

public class PlaceRoutingTests
{
    private static readonly Guid CaseId = Guid.Parse("5a1c3a8e-2f64-4d0e-9d2b-6f0c1b7e9a11");
    private static readonly DateTimeOffset Now = new(2025, 3, 3, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly WorkflowDefinition gridVisit = PlaceFixtures.Parse(PlaceFixtures.GridVisit);

    [Fact]
    public void A_step_routed_to_the_grid_goes_to_the_inbox_of_the_grid_the_form_names()
    {
        var started = CaseEngine.Start(gridVisit, CaseId, TestWorkflows.Form("""{ "grid": "waicao-02" }"""), Now);

        var dispatch = Assert.IsType<DispatchTask>(Assert.Single(started.Effects));
        Assert.Equal("waicao-02", dispatch.Department);
        Assert.Equal(new PlaceRoute(TerritorialRole.Grid, "grid"), dispatch.Place);
        Assert.Equal("waicao-02", started.State.FindStep("visit")!.Unit);
    }

    [Fact]
    public void Coarser_roles_go_to_the_community_and_the_street_that_contain_the_grid()
    {
        var form = TestWorkflows.Form("""{ "grid": "waicao-02" }""");
        var started = CaseEngine.Start(gridVisit, CaseId, form, Now);
        var visited = Decide(started.State, form, "visit", "needs-help");
        var followedUp = Decide(visited.State, form, "follow-up", null);

        Assert.Equal("waicao", Assert.IsType<DispatchTask>(Assert.Single(visited.Effects)).Department);
        Assert.Equal("yongjiang", Assert.IsType<DispatchTask>(Assert.Single(followedUp.Effects)).Department);
    }

    [Fact]
    public void A_task_of_a_unit_is_cancelled_in_that_units_inbox_when_the_case_ends()
    {
        var form = TestWorkflows.Form("""{ "grid": "waicao-01" }""");
        var started = CaseEngine.Start(gridVisit, CaseId, form, Now);

        var withdrawn = Assert.IsType<Applied>(CaseEngine.Apply(gridVisit, started.State, form, new CaseWithdrawn("moved away", "clerk"), Now));

        Assert.Equal("waicao-01", Assert.Single(withdrawn.Effects.OfType<CancelTask>()).Department);
    }

    [Fact]
    public void A_place_no_unit_covers_is_refused_naming_the_field_and_a_typed_code_is_forgiven()
    {
        var (_, unknown) = FormValidator.Validate(gridVisit, TestWorkflows.Json("""{ "grid": "atlantis-07" }"""));
        var (typed, none) = FormValidator.Validate(gridVisit, TestWorkflows.Json("""{ "grid": "ＷＡＩＣＡＯ－０２" }"""));
        var (_, community) = FormValidator.Validate(gridVisit, TestWorkflows.Json("""{ "grid": "waicao" }"""));

        var error = Assert.Single(unknown);
        Assert.Equal("grid", error.Field);
        Assert.Contains("atlantis-07", error.MessageEn);
        Assert.Contains("网格", error.MessageZh);
        Assert.Empty(none);
        Assert.Equal("waicao-02", CaseEngine.Start(gridVisit, CaseId, typed!, Now).State.FindStep("visit")!.Unit);
        Assert.Equal("grid", Assert.Single(community).Field);
        Assert.Equal("yongjiang", PlaceFieldRules.StreetOf(gridVisit, typed!));
    }

    private Applied Decide(CaseState state, FormData form, string stepId, string? outcome) =>
        Assert.IsType<Applied>(CaseEngine.Apply(gridVisit, state, form,
            new StepDecided(stepId, state.FindStep(stepId)!.TaskId!.Value, Decision.Approve, null, "reviewer", outcome), Now));
}
