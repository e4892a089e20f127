namespace OneThing.Engine.Tests;

public sealed class CaseMigrationTests
{
    private static readonly Guid CaseId = Guid.Parse("6d1f0a34-3b9c-4f6e-9a51-0c2e7b5d8f11");
    private static readonly DateTimeOffset FiledAt = new(2025, 3, 3, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset MovedAt = FiledAt.AddHours(3);

    private static readonly Dictionary<string, string> NoMapping = new();

    private readonly WorkflowDefinition v1 = TestWorkflows.Parse(TestWorkflows.FanOutAndJoin);

    /// <summary>Version 2: step a is now "check" (same department), and an archive step "file" needs it.</summary>
    private readonly WorkflowDefinition v2 = TestWorkflows.Parse(TestWorkflows.FanOutAndJoin
        .Replace("  - id: a\n", "  - id: check\n", StringComparison.Ordinal)
        .Replace("needs: [a, b]", "needs: [check, b]", StringComparison.Ordinal)
        + "\n  - id: file\n    name: { zh: 归档, en: File }\n    department: archive\n    needs: [check]\n");

    [Fact]
    public void An_open_task_on_a_renamed_step_moves_to_the_new_step_keeping_its_task_and_new_steps_wait_for_their_needs()
    {
        var started = CaseEngine.Start(v1, CaseId, FormData.Empty, FiledAt).State;

        var moved = Assert.IsType<Movable>(CaseMigration.Plan(v1, v2, started, FormData.Empty, new Dictionary<string, string> { ["a"] = "check" }, MovedAt));

        Assert.Equal(["check", "b", "c", "d", "file"], moved.Applied.State.Steps.Select(s => s.StepId));
        var check = moved.Applied.State.FindStep("check")!;
        Assert.Equal((StepStatus.Active, TaskIds.For(CaseId, "a"), FiledAt), (check.Status, check.TaskId, check.ActivatedAt));
        Assert.Equal(StepStatus.Waiting, moved.Applied.State.FindStep("file")!.Status);
        Assert.Equal([new MovedTask(TaskIds.For(CaseId, "a"), "a", "check")], moved.MovedTasks);
        Assert.Empty(moved.Applied.Effects);

        // On the new version the case goes on: deciding the moved task starts the new archive step.
        var decided = Assert.IsType<Applied>(CaseEngine.Apply(v2, moved.Applied.State, FormData.Empty,
            new StepDecided("check", TaskIds.For(CaseId, "a"), Decision.Approve, null, "reviewer"), MovedAt.AddHours(1)));
        Assert.Contains(new DispatchTask(TaskIds.For(CaseId, "file"), "file", "archive", StepKind.Review, null), decided.Effects);
    }

    [Fact]
    public void A_new_step_whose_needs_have_already_ended_starts_when_the_case_moves()
    {
        var started = CaseEngine.Start(v1, CaseId, FormData.Empty, FiledAt).State;
        var afterA = Assert.IsType<Applied>(CaseEngine.Apply(v1, started, FormData.Empty,
            new StepDecided("a", TaskIds.For(CaseId, "a"), Decision.Approve, null, "reviewer"), FiledAt.AddHours(1))).State;

        var moved = Assert.IsType<Movable>(CaseMigration.Plan(v1, v2, afterA, FormData.Empty, new Dictionary<string, string> { ["a"] = "check" }, MovedAt));

        Assert.Equal<Effect>([new DispatchTask(TaskIds.For(CaseId, "file"), "file", "archive", StepKind.Review, null)], moved.Applied.Effects);
        Assert.Equal(StepStatus.Approved, moved.Applied.State.FindStep("check")!.Status);
        Assert.Empty(moved.MovedTasks);
    }

    [Fact]
    public void An_open_task_on_a_step_the_target_does_not_have_and_the_mapping_leaves_out_stops_the_move()
    {
        var started = CaseEngine.Start(v1, CaseId, FormData.Empty, FiledAt).State;

        var refused = Assert.IsType<NotMovable>(CaseMigration.Plan(v1, v2, started, FormData.Empty, NoMapping, MovedAt));

        Assert.Contains(refused.Reasons, r => r.Contains("'a'") && r.Contains("open task"));
    }

    [Fact]
    public void An_open_task_mapped_to_a_step_of_another_department_stops_the_move()
    {
        var started = CaseEngine.Start(v1, CaseId, FormData.Empty, FiledAt).State;

        var refused = Assert.IsType<NotMovable>(CaseMigration.Plan(v1, v2, started, FormData.Empty, new Dictionary<string, string> { ["a"] = "file" }, MovedAt));

        Assert.Contains(refused.Reasons, r => r.Contains("review step of registry") && r.Contains("review step of archive"));
    }

    [Fact]
    public void A_form_field_the_target_requires_and_the_case_lacks_stops_the_move_and_an_ended_case_never_moves()
    {
        var strict = TestWorkflows.Parse(TestWorkflows.FanOutAndJoin.Replace(
            "steps:", "form:\n  - key: purpose\n    label: { zh: 用途, en: Purpose }\n    type: text\n    required: true\nsteps:"));
        var started = CaseEngine.Start(v1, CaseId, FormData.Empty, FiledAt).State;

        var lacking = Assert.IsType<NotMovable>(CaseMigration.Plan(v1, strict, started, FormData.Empty, NoMapping, MovedAt));
        Assert.Contains(lacking.Reasons, r => r.Contains("'purpose'"));
        Assert.IsType<Movable>(CaseMigration.Plan(v1, strict, started, TestWorkflows.Form("""{"purpose":"入学"}"""), NoMapping, MovedAt));

        var withdrawn = Assert.IsType<Applied>(CaseEngine.Apply(v1, started, FormData.Empty, new CaseWithdrawn("撤回", "clerk"), MovedAt)).State;
        Assert.Contains("ended", Assert.IsType<NotMovable>(CaseMigration.Plan(v1, strict, withdrawn, FormData.Empty, NoMapping, MovedAt)).Reasons.Single());
    }
}
