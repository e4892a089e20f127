namespace OneThing.Engine.Tests;

public class IncidentLearningTests
{
    private static readonly Guid CaseId = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    private static readonly DateTimeOffset Now = new(2025, 3, 3, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly WorkflowDefinition repeatSpot = PlaceFixtures.Parse(PlaceFixtures.RepeatSpot);
    private readonly FormData form = TestWorkflows.Form("""{ "location": "怡江小区3幢" }""");

    [Theory]
    [InlineData("江北区 甬江街道，外漕村12号", "江北区甬江街道外漕村12号")]
    [InlineData("ＡＢＣ小区３幢（东侧）", "abc小区3幢东侧")]
    [InlineData("  怡江小区·3幢 - 东侧！ ", "怡江小区3幢东侧")]
    public void Place_text_is_compared_without_width_case_spaces_or_punctuation(string written, string normal) =>
        Assert.Equal(normal, PlaceText.Normalise(written));

    [Fact]
    public void A_report_with_a_point_code_is_matched_by_the_code_and_one_without_by_its_text()
    {
        var incident = repeatSpot.Incident!;

        Assert.Equal("code:cam-0012", IncidentPlace.KeyOf(incident, TestWorkflows.Form("""{ "location": "怡江小区", "pointCode": " ＣＡＭ-0012 " }""")));
        Assert.Equal(IncidentPlace.KeyOf(incident, TestWorkflows.Form("""{ "location": "怡江小区 3幢" }""")),
            IncidentPlace.KeyOf(incident, TestWorkflows.Form("""{ "location": "怡江小区3幢。" }""")));
    }

    [Fact]
    public void A_report_that_makes_a_skipped_condition_on_reports_hold_starts_that_step()
    {
        var started = CaseEngine.Start(repeatSpot, CaseId, form, Now, reports: 1);
        var persuaded = Approve(started.State, "persuade");
        Assert.Equal(StepStatus.Skipped, persuaded.State.FindStep("inspect")!.Status);

        var second = Attach(persuaded.State);
        var third = Attach(second.State);

        Assert.Empty(second.Effects);
        Assert.Equal(3, third.State.Reports);
        Assert.Equal(StepStatus.Active, third.State.FindStep("inspect")!.Status);
        Assert.Equal(["inspect", "inspect"], third.Effects.Select(effect => effect switch
        {
            StepReevaluated reevaluated => reevaluated.StepId,
            DispatchTask dispatch => dispatch.StepId,
            _ => "?",
        }));
        Assert.Contains("report 3", Assert.Single(third.Effects.OfType<StepReevaluated>()).Reason);
        Assert.Equal(StepStatus.Skipped, third.State.FindStep("history")!.Status);
    }

    [Fact]
    public void A_report_changes_nothing_once_a_step_after_the_skipped_one_has_started()
    {
        var definition = PlaceFixtures.Parse(PlaceFixtures.RepeatSpot.Replace(
            "- { id: wrap-up, name: { zh: 归档, en: Wrap up }, department: property, needs: [persuade] }",
            "- { id: wrap-up, name: { zh: 归档, en: Wrap up }, department: property, needs: [inspect] }"));
        var started = CaseEngine.Start(definition, CaseId, form, Now, reports: 2);
        var persuaded = Assert.IsType<Applied>(CaseEngine.Apply(definition, started.State, form,
            new StepDecided("persuade", started.State.FindStep("persuade")!.TaskId!.Value, Decision.Approve, null, "reviewer"), Now));
        Assert.Equal(StepStatus.Active, persuaded.State.FindStep("wrap-up")!.Status);

        var third = Assert.IsType<Applied>(CaseEngine.Apply(definition, persuaded.State, form, new IncidentReportAttached(), Now));

        Assert.Empty(third.Effects);
        Assert.Equal(StepStatus.Skipped, third.State.FindStep("inspect")!.Status);
    }

    [Fact]
    public void A_repeat_place_is_told_by_its_cases_in_90_days_not_by_one_cases_reports()
    {
        var repeat = Approve(CaseEngine.Start(repeatSpot, CaseId, form, Now, reports: 1, placeCases: 3).State, "persuade");
        var first = Approve(CaseEngine.Start(repeatSpot, CaseId, form, Now, reports: 1, placeCases: 1).State, "persuade");

        Assert.Equal(StepStatus.Active, repeat.State.FindStep("history")!.Status);
        Assert.Equal(StepStatus.Skipped, first.State.FindStep("history")!.Status);
        Assert.Equal(StepStatus.Skipped, Attach(Attach(first.State).State).State.FindStep("history")!.Status);
    }

    private Applied Approve(CaseState state, string stepId) =>
        Assert.IsType<Applied>(CaseEngine.Apply(repeatSpot, state, form,
            new StepDecided(stepId, state.FindStep(stepId)!.TaskId!.Value, Decision.Approve, null, "reviewer"), Now));

    private Applied Attach(CaseState state) => Assert.IsType<Applied>(CaseEngine.Apply(repeatSpot, state, form, new IncidentReportAttached(), Now));
}
