namespace OneThing.Engine.Tests;

public class LoopTests
{
    private static readonly Guid CaseId = Guid.Parse("0b6c1d2e-3f40-4a51-8b62-7c83d94ea5f6");
    private static readonly DateTimeOffset Filed = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>inspect, then rectify and re-inspect repeated until rectified (at most 3 rounds), then close; refer only when it never is.</summary>
    private static string Workflow(string onMax = "end-case") =>
        $$"""
        id: rectify-loop
        name: { zh: 整改复查, en: Rectify and re-inspect }
        loops:
          - id: rectification
            steps: [rectify, reinspect]
            until: steps.reinspect.outcome == 'rectified'
            max_rounds: 3
            on_max: {{onMax}}
        steps:
          - { id: inspect, name: { zh: 检查, en: Inspect }, department: land }
          - { id: rectify, name: { zh: 整改, en: Rectify }, department: registry, needs: [inspect], sla: 2 workdays }
          - { id: reinspect, name: { zh: 复查, en: Re-inspect }, department: land, needs: [rectify], outcomes: [rectified, not-rectified] }
          - { id: close, name: { zh: 销号, en: Close }, department: archive, needs: [reinspect], when: "steps.reinspect.outcome == 'rectified'" }
          - { id: refer, name: { zh: 移送执法, en: Refer }, department: pensions, needs: [reinspect], when: "steps.reinspect.outcome == 'not-rectified'" }
        """;

    private readonly WorkflowDefinition definition = TestWorkflows.Parse(Workflow());

    [Fact]
    public void A_round_whose_condition_does_not_hold_starts_the_loop_again_with_new_tasks_of_its_own()
    {
        var firstRound = Run(definition, ("inspect", null), ("rectify", null));

        var repeated = Decide(definition, firstRound, "reinspect", "not-rectified");

        var applied = Assert.IsType<Applied>(repeated);
        var dispatch = Assert.Single(applied.Effects.OfType<DispatchTask>());
        Assert.Equal(new DispatchTask(TaskIds.For(CaseId, "rectify", 2), "rectify", "registry", StepKind.Review, definition.FindStep("rectify")!.Sla, Round: 2), dispatch);
        Assert.NotEqual(TaskIds.For(CaseId, "rectify"), dispatch.TaskId);
        Assert.Contains(new LoopRepeated("rectification", 2, "steps.reinspect.outcome == 'rectified'"), applied.Effects);
        Assert.Equal(new LoopState("rectification", 2, LoopStatus.Running), applied.State.FindLoop("rectification"));
        Assert.Equal((StepStatus.Waiting, 2), (applied.State.FindStep("reinspect")!.Status, applied.State.FindStep("reinspect")!.Round));
        Assert.Equal(StepStatus.Waiting, applied.State.FindStep("close")!.Status);
        Assert.Equal(StepStatus.Waiting, applied.State.FindStep("refer")!.Status);
    }

    [Fact]
    public void The_steps_after_a_loop_start_once_its_condition_holds()
    {
        var secondRound = Run(definition, ("inspect", null), ("rectify", null), ("reinspect", "not-rectified"), ("rectify", null));

        var satisfied = Assert.IsType<Applied>(Decide(definition, secondRound, "reinspect", "rectified"));

        Assert.Contains(new LoopSatisfied("rectification", 2, "steps.reinspect.outcome == 'rectified'"), satisfied.Effects);
        Assert.Equal(StepStatus.Active, satisfied.State.FindStep("close")!.Status);
        Assert.Equal(StepStatus.Skipped, satisfied.State.FindStep("refer")!.Status);
        Assert.Equal(LoopStatus.Satisfied, satisfied.State.FindLoop("rectification")!.Status);
    }

    [Fact]
    public void A_decision_on_an_earlier_rounds_task_is_refused_and_a_redelivered_one_changes_nothing()
    {
        var firstRound = Run(definition, ("inspect", null), ("rectify", null));
        var secondRound = Assert.IsType<Applied>(Decide(definition, firstRound, "reinspect", "not-rectified")).State;
        var roundTwoRectified = Run(definition, secondRound, ("rectify", null));

        var stale = CaseEngine.Apply(definition, secondRound, FormData.Empty,
            new StepDecided("rectify", TaskIds.For(CaseId, "rectify"), Decision.Approve, null, "reviewer-1"), Filed.AddHours(2));
        var redelivered = Decide(definition, roundTwoRectified, "rectify", null);

        Assert.Equal(RefusalReason.UnknownTask, Assert.IsType<Refused>(stale).Reason);
        Assert.IsType<AlreadyApplied>(redelivered);
    }

    [Theory]
    [InlineData("end-case")]
    [InlineData("escalate")]
    [InlineData("refer")]
    public void The_last_round_without_the_condition_does_what_on_max_says(string onMax)
    {
        var workflow = TestWorkflows.Parse(Workflow(onMax));
        var state = Run(workflow, ("inspect", null));
        for (var round = 1; round < 3; round++)
        {
            state = Run(workflow, state, ("rectify", null), ("reinspect", "not-rectified"));
        }

        var last = Assert.IsType<Applied>(Decide(workflow, Run(workflow, state, ("rectify", null)), "reinspect", "not-rectified"));

        var exhausted = Assert.Single(last.Effects.OfType<LoopExhausted>());
        Assert.Equal(3, exhausted.Rounds);
        Assert.Equal([TaskIds.For(CaseId, "rectify", 3), TaskIds.For(CaseId, "reinspect", 3)], exhausted.TaskIds);
        Assert.Equal(LoopStatus.Exhausted, last.State.FindLoop("rectification")!.Status);
        switch (onMax)
        {
            case "end-case":
                Assert.Equal(CaseStatus.Rejected, last.State.Status);
                Assert.Contains(new CompleteCase(CaseStatus.Rejected), last.Effects);
                break;
            case "escalate":
                Assert.Equal(CaseStatus.Running, last.State.Status);
                Assert.Equal(StepStatus.Active, last.State.FindStep("refer")!.Status);
                Assert.DoesNotContain(last.Effects, effect => effect is StepForced);
                break;
            default:
                Assert.Equal("refer", exhausted.OnMax.Step);
                Assert.True(last.Effects.IndexOf(exhausted) < last.Effects.IndexOf(last.Effects.OfType<DispatchTask>().Single(d => d.StepId == "refer")));
                Assert.Equal(StepStatus.Active, last.State.FindStep("refer")!.Status);
                break;
        }
    }

    [Fact]
    public void A_loop_whose_steps_all_skip_is_done_with_and_the_steps_after_it_go_on()
    {
        var workflow = TestWorkflows.Parse("""
            id: skipped-loop
            name: { zh: 无需整改, en: Nothing to rectify }
            loops:
              - { id: rectification, steps: [rectify, reinspect], until: "steps.reinspect.outcome == 'rectified'", max_rounds: 2, on_max: fine }
            steps:
              - { id: inspect, name: { zh: 检查, en: Inspect }, department: land, outcomes: [compliant, violation] }
              - { id: rectify, name: { zh: 整改, en: Rectify }, department: registry, needs: [inspect], when: "steps.inspect.outcome == 'violation'" }
              - { id: reinspect, name: { zh: 复查, en: Re-inspect }, department: land, needs: [rectify], when: "steps.rectify.outcome == 'approved'", outcomes: [rectified, not-rectified] }
              - { id: fine, name: { zh: 处罚, en: Fine }, department: pensions, needs: [reinspect], when: "steps.reinspect.outcome == 'not-rectified'" }
              - { id: reply, name: { zh: 答复, en: Reply }, department: archive, needs: [inspect, fine] }
            """);

        var compliant = Assert.IsType<Applied>(Decide(workflow, CaseEngine.Start(workflow, CaseId, FormData.Empty, Filed).State, "inspect", "compliant"));

        Assert.Equal(LoopStatus.Satisfied, compliant.State.FindLoop("rectification")!.Status);
        Assert.DoesNotContain(compliant.Effects, effect => effect is LoopRepeated or LoopExhausted);
        Assert.Equal(StepStatus.Skipped, compliant.State.FindStep("fine")!.Status);
        Assert.Equal(StepStatus.Active, compliant.State.FindStep("reply")!.Status);
    }

    [Fact]
    public void Round_one_keeps_the_task_ids_of_a_step_without_a_loop()
    {
        Assert.Equal(TaskIds.For(CaseId, "rectify"), TaskIds.For(CaseId, "rectify", 1));
        Assert.NotEqual(TaskIds.For(CaseId, "rectify", 2), TaskIds.For(CaseId, "rectify", 3));
    }

    private static CaseState Run(WorkflowDefinition workflow, params (string Step, string? Outcome)[] decisions) =>
        Run(workflow, CaseEngine.Start(workflow, CaseId, FormData.Empty, Filed).State, decisions);

    private static CaseState Run(WorkflowDefinition workflow, CaseState state, params (string Step, string? Outcome)[] decisions)
    {
        foreach (var (step, outcome) in decisions)
        {
            state = Assert.IsType<Applied>(Decide(workflow, state, step, outcome)).State;
        }

        return state;
    }

    private static EngineResult Decide(WorkflowDefinition workflow, CaseState state, string stepId, string? outcome)
    {
        var step = state.FindStep(stepId)!;
        return CaseEngine.Apply(workflow, state, FormData.Empty,
            new StepDecided(stepId, step.TaskId ?? TaskIds.For(CaseId, stepId, step.Round), Decision.Approve, null, "reviewer-1", outcome), Filed.AddHours(1));
    }
}
