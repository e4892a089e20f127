using System.Collections.Immutable;

namespace OneThing.Engine.Tests;

public class CaseEngineTests
{
    private static readonly Guid CaseId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly DateTimeOffset FiledAt = new(2025, 3, 3, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset Later = FiledAt.AddHours(2);
    private static readonly DateTimeOffset Latest = FiledAt.AddHours(5);

    private readonly WorkflowDefinition fanOut = TestWorkflows.Parse(TestWorkflows.FanOutAndJoin);
    private readonly WorkflowDefinition conditional = TestWorkflows.Parse(TestWorkflows.Conditional);

    [Fact]
    public void Filing_fans_out_to_every_step_without_needs()
    {
        var result = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);

        Assert.Equal(CaseStatus.Running, result.State.Status);
        Assert.Equal(FiledAt, result.State.FiledAt);
        Assert.Equal(["a", "b", "c", "d"], result.State.Steps.Select(step => step.StepId));
        Assert.Equal(
            [StepStatus.Active, StepStatus.Active, StepStatus.Waiting, StepStatus.Waiting],
            result.State.Steps.Select(step => step.Status));
        Assert.Equal<Effect>(
            [
                new DispatchTask(TaskIds.For(CaseId, "a"), "a", "registry", StepKind.Review, new Sla(1, SlaUnit.WorkDays)),
                new DispatchTask(TaskIds.For(CaseId, "b"), "b", "pensions", StepKind.Automated, new Sla(4, SlaUnit.Hours)),
            ],
            result.Effects);
        var a = result.State.FindStep("a")!;
        Assert.Equal(TaskIds.For(CaseId, "a"), a.TaskId);
        Assert.Equal(FiledAt, a.ActivatedAt);
        Assert.Null(a.EndedAt);
        Assert.Null(result.State.FindStep("c")!.TaskId);
    }

    [Fact]
    public void A_step_needing_two_steps_activates_only_after_both_are_approved()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);

        var afterA = Approve(fanOut, started.State, "a", Later);
        Assert.Empty(afterA.Effects);
        Assert.Equal(StepStatus.Approved, afterA.State.FindStep("a")!.Status);
        Assert.Equal(Later, afterA.State.FindStep("a")!.EndedAt);
        Assert.Equal(StepStatus.Waiting, afterA.State.FindStep("c")!.Status);

        var afterB = Approve(fanOut, afterA.State, "b", Latest);
        Assert.Equal<Effect>(
            [new DispatchTask(TaskIds.For(CaseId, "c"), "c", "schools", StepKind.Review, null)],
            afterB.Effects);
        Assert.Equal(StepStatus.Active, afterB.State.FindStep("c")!.Status);
        Assert.Equal(Latest, afterB.State.FindStep("c")!.ActivatedAt);
        Assert.Equal(StepStatus.Waiting, afterB.State.FindStep("d")!.Status);
        Assert.Equal(CaseStatus.Running, afterB.State.Status);
    }

    [Fact]
    public void Approving_the_last_open_step_completes_the_case()
    {
        var state = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt).State;
        state = Approve(fanOut, state, "a", Later).State;
        state = Approve(fanOut, state, "b", Later).State;
        state = Approve(fanOut, state, "c", Later).State;

        var last = Approve(fanOut, state, "d", Latest);

        Assert.Equal(CaseStatus.Completed, last.State.Status);
        Assert.Equal(Latest, last.State.EndedAt);
        Assert.All(last.State.Steps, step => Assert.Equal(StepStatus.Approved, step.Status));
        Assert.Equal<Effect>([new CompleteCase(CaseStatus.Completed)], last.Effects);
    }

    [Fact]
    public void A_step_whose_condition_is_false_is_skipped_and_a_step_needing_it_still_runs()
    {
        var form = TestWorkflows.Form("""{ "hasChild": false, "ownsProperty": true }""");
        var started = CaseEngine.Start(conditional, CaseId, form, FiledAt);

        var afterFirst = Approve(conditional, started.State, "first", Later, form);

        Assert.Equal<Effect>(
            [
                new SkipStep("school", "condition 'hasChild == true' is false"),
                new DispatchTask(TaskIds.For(CaseId, "land"), "land", "land", StepKind.Review, null),
                new DispatchTask(TaskIds.For(CaseId, "report"), "report", "archive", StepKind.Review, null),
            ],
            afterFirst.Effects);
        var school = afterFirst.State.FindStep("school")!;
        Assert.Equal(StepStatus.Skipped, school.Status);
        Assert.Null(school.TaskId);
        Assert.Equal(Later, school.EndedAt);
        Assert.Equal(StepStatus.Active, afterFirst.State.FindStep("report")!.Status);
    }

    [Fact]
    public void A_step_whose_condition_is_true_is_dispatched()
    {
        var form = TestWorkflows.Form("""{ "hasChild": true, "ownsProperty": false }""");
        var started = CaseEngine.Start(conditional, CaseId, form, FiledAt);

        var afterFirst = Approve(conditional, started.State, "first", Later, form);

        Assert.Equal<Effect>(
            [
                new DispatchTask(TaskIds.For(CaseId, "school"), "school", "schools", StepKind.Review, null),
                new SkipStep("land", "condition 'ownsProperty' is false"),
            ],
            afterFirst.Effects);
        Assert.Equal(StepStatus.Waiting, afterFirst.State.FindStep("report")!.Status);
    }

    [Fact]
    public void A_missing_optional_bool_counts_as_false_and_skips_the_step()
    {
        var started = CaseEngine.Start(conditional, CaseId, FormData.Empty, FiledAt);

        var afterFirst = Approve(conditional, started.State, "first", Later);

        Assert.Equal(StepStatus.Skipped, afterFirst.State.FindStep("school")!.Status);
        Assert.Equal(StepStatus.Skipped, afterFirst.State.FindStep("land")!.Status);
    }

    [Fact]
    public void Skipping_every_remaining_step_completes_the_case()
    {
        var definition = TestWorkflows.Parse(
            """
            id: all-conditional
            name: { zh: 全部条件, en: All conditional }
            form:
              - { key: urgent, label: { zh: 紧急, en: Urgent }, type: bool }
            steps:
              - { id: check, name: { zh: 核查, en: Check }, department: registry, when: urgent }
              - { id: follow-up, name: { zh: 跟进, en: Follow up }, department: archive, needs: [check], when: urgent }
            """);

        var result = CaseEngine.Start(definition, CaseId, TestWorkflows.Form("""{ "urgent": false }"""), FiledAt);

        Assert.Equal(CaseStatus.Completed, result.State.Status);
        Assert.Equal(FiledAt, result.State.EndedAt);
        Assert.Equal<Effect>(
            [
                new SkipStep("check", "condition 'urgent' is false"),
                new SkipStep("follow-up", "condition 'urgent' is false"),
                new CompleteCase(CaseStatus.Completed),
            ],
            result.Effects);
    }

    [Fact]
    public void Rejecting_a_step_cancels_open_tasks_and_ends_the_case()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);

        var result = Decide(fanOut, started.State, "a", Decision.Reject, Later);

        var applied = Assert.IsType<Applied>(result);
        Assert.Equal(CaseStatus.Rejected, applied.State.Status);
        Assert.Equal(Later, applied.State.EndedAt);
        Assert.Equal(
            [StepStatus.Rejected, StepStatus.Cancelled, StepStatus.Cancelled, StepStatus.Cancelled],
            applied.State.Steps.Select(step => step.Status));
        Assert.All(applied.State.Steps, step => Assert.Equal(Later, step.EndedAt));
        Assert.Equal<Effect>(
            [
                new CancelTask(TaskIds.For(CaseId, "b"), "b", "pensions", CancelCause.CaseRejected, "case rejected at step a"),
                new CompleteCase(CaseStatus.Rejected),
            ],
            applied.Effects);
    }

    [Fact]
    public void Rejection_keeps_the_outcome_of_steps_that_already_ended()
    {
        var state = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt).State;
        state = Approve(fanOut, state, "a", Later).State;

        var applied = Assert.IsType<Applied>(Decide(fanOut, state, "b", Decision.Reject, Latest));

        Assert.Equal(StepStatus.Approved, applied.State.FindStep("a")!.Status);
        Assert.Equal(Later, applied.State.FindStep("a")!.EndedAt);
        Assert.Equal<Effect>([new CompleteCase(CaseStatus.Rejected)], applied.Effects);
    }

    [Fact]
    public void A_duplicate_approval_changes_nothing()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);
        var approved = Approve(fanOut, started.State, "a", Later);

        var again = Decide(fanOut, approved.State, "a", Decision.Approve, Latest);

        var already = Assert.IsType<AlreadyApplied>(again);
        Assert.Same(approved.State, already.State);
    }

    [Fact]
    public void A_duplicate_rejection_after_the_case_ended_changes_nothing()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);
        var rejected = Assert.IsType<Applied>(Decide(fanOut, started.State, "a", Decision.Reject, Later));

        var again = Decide(fanOut, rejected.State, "a", Decision.Reject, Latest);

        Assert.Same(rejected.State, Assert.IsType<AlreadyApplied>(again).State);
    }

    [Fact]
    public void The_opposite_decision_on_a_decided_step_is_refused()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);
        var approved = Approve(fanOut, started.State, "a", Later);

        var result = Decide(fanOut, approved.State, "a", Decision.Reject, Latest);

        Assert.Equal(RefusalReason.AlreadyDecided, Assert.IsType<Refused>(result).Reason);
    }

    [Fact]
    public void A_decision_for_an_unknown_step_is_refused()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);

        var result = CaseEngine.Apply(fanOut, started.State, FormData.Empty,
            new StepDecided("nope", TaskIds.For(CaseId, "nope"), Decision.Approve, null, "tester"), Later);

        var refused = Assert.IsType<Refused>(result);
        Assert.Equal(RefusalReason.UnknownStep, refused.Reason);
        Assert.Contains("nope", refused.Message);
    }

    [Fact]
    public void A_decision_carrying_another_steps_task_id_is_refused()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);

        var result = CaseEngine.Apply(fanOut, started.State, FormData.Empty,
            new StepDecided("a", TaskIds.For(CaseId, "b"), Decision.Approve, null, "tester"), Later);

        Assert.Equal(RefusalReason.UnknownTask, Assert.IsType<Refused>(result).Reason);
    }

    [Fact]
    public void A_decision_for_a_waiting_step_is_refused()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);

        var result = Decide(fanOut, started.State, "c", Decision.Approve, Later);

        Assert.Equal(RefusalReason.StepNotActive, Assert.IsType<Refused>(result).Reason);
    }

    [Fact]
    public void A_decision_for_a_skipped_step_is_refused()
    {
        var started = CaseEngine.Start(conditional, CaseId, FormData.Empty, FiledAt);
        var afterFirst = Approve(conditional, started.State, "first", Later);

        var result = Decide(conditional, afterFirst.State, "school", Decision.Approve, Latest);

        Assert.Equal(RefusalReason.StepNotActive, Assert.IsType<Refused>(result).Reason);
    }

    [Fact]
    public void A_decision_for_a_step_of_an_ended_case_is_refused()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);
        var rejected = Assert.IsType<Applied>(Decide(fanOut, started.State, "a", Decision.Reject, Later));

        var lateApproval = Decide(fanOut, rejected.State, "b", Decision.Approve, Latest);

        Assert.Equal(RefusalReason.CaseEnded, Assert.IsType<Refused>(lateApproval).Reason);
    }

    [Fact]
    public void The_same_inputs_give_equal_results()
    {
        var form = TestWorkflows.Form("""{ "hasChild": true, "ownsProperty": true }""");

        var first = CaseEngine.Start(conditional, CaseId, form, FiledAt);
        var second = CaseEngine.Start(conditional, CaseId, form, FiledAt);
        Assert.Equal(first, second);
        Assert.NotSame(first.State, second.State);

        var event1 = new StepDecided("first", TaskIds.For(CaseId, "first"), Decision.Approve, "ok", "clerk-1");
        var applied1 = CaseEngine.Apply(conditional, first.State, form, event1, Later);
        var applied2 = CaseEngine.Apply(conditional, second.State, form, event1, Later);
        Assert.Equal(applied1, applied2);
        Assert.Equal(2, Assert.IsType<Applied>(applied1).Effects.Length);
    }

    [Fact]
    public void Results_at_different_times_are_not_equal()
    {
        var first = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);
        var second = CaseEngine.Start(fanOut, CaseId, FormData.Empty, Later);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.State, second.State);
    }

    [Fact]
    public void Applying_an_event_leaves_the_given_state_untouched()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);
        var before = started.State with { Steps = ImmutableList.CreateRange(started.State.Steps) };

        Approve(fanOut, started.State, "a", Later);
        Decide(fanOut, started.State, "b", Decision.Reject, Later);

        Assert.Equal(before, started.State);
        Assert.Equal(StepStatus.Active, started.State.FindStep("a")!.Status);
    }

    [Fact]
    public void A_state_from_another_workflow_is_rejected_as_a_programming_error()
    {
        var started = CaseEngine.Start(fanOut, CaseId, FormData.Empty, FiledAt);

        Assert.Throws<ArgumentException>(() => Decide(conditional, started.State, "a", Decision.Approve, Later));
    }

    [Fact]
    public void The_shipped_identity_change_routes_a_renamed_schoolchild_without_property()
    {
        var (_, workflows) = WorkflowLoader.LoadDirectory(TestWorkflows.RepositoryWorkflowsDirectory());
        var definition = workflows.Single(workflow => workflow.Definition.Id == "identity-change").Definition;
        var form = TestWorkflows.Form(
            """
            { "name": "张小明", "idNumber": "11010519491231002X", "phone": "13812345678", "newName": "张明远",
              "hasSchoolAgeChild": true, "ownsProperty": false, "hasHousingFundAccount": true }
            """);

        var started = CaseEngine.Start(definition, CaseId, form, FiledAt);
        Assert.Equal(["household"], started.Effects.OfType<DispatchTask>().Select(task => task.StepId));

        var afterHousehold = Approve(definition, started.State, "household", Later, form);
        Assert.Equal(
            ["social-security", "medical-insurance", "housing-fund", "education"],
            afterHousehold.Effects.OfType<DispatchTask>().Select(task => task.StepId));
        Assert.Equal(StepKind.Automated, afterHousehold.Effects.OfType<DispatchTask>().Single(task => task.StepId == "housing-fund").Kind);
        Assert.Equal(["real-estate"], afterHousehold.Effects.OfType<SkipStep>().Select(skip => skip.StepId));
    }

    private static Applied Approve(WorkflowDefinition definition, CaseState state, string stepId, DateTimeOffset now, FormData? form = null) =>
        Assert.IsType<Applied>(Decide(definition, state, stepId, Decision.Approve, now, form));

    private static EngineResult Decide(WorkflowDefinition definition, CaseState state, string stepId, Decision decision, DateTimeOffset now, FormData? form = null) =>
        CaseEngine.Apply(definition, state, form ?? FormData.Empty,
            new StepDecided(stepId, TaskIds.For(state.CaseId, stepId), decision, null, "reviewer-1"), now);
}
