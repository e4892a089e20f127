namespace OneThing.Engine.Tests;

public class WorkflowLanguageTests
{
    private static readonly Guid CaseId = Guid.Parse("7d9f3a52-1c4e-4b8a-9e11-2f6a7c3b5d01");
    private static readonly DateTimeOffset Reported = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A fire-lane-like incident: persuade (resolved / unresolved, 30 minutes), enforcement on unresolved or breach, any-of verification.</summary>
    private const string Incident =
        """
        id: incident
        name: { zh: 事件, en: Incident }
        form:
          - { key: place, label: { zh: 地点, en: Place }, type: text, required: true }
          - { key: familyPhone, label: { zh: 家属电话, en: Family phone }, type: mobile }
        steps:
          - id: persuade
            name: { zh: 劝离, en: Persuade }
            department: registry
            outcomes: [resolved, unresolved]
            sla: 30m
            on_breach:
              start: [police]
              cancel: true
              notify: { to: clerk, message: { zh: 劝离超时, en: Persuasion timed out } }
          - id: police
            name: { zh: 交警, en: Police }
            department: pensions
            needs: [persuade]
            when: steps.persuade.outcome != 'resolved'
          - id: enforcement
            name: { zh: 执法, en: Enforcement }
            department: land
            needs: [persuade]
            when: steps.persuade.outcome == 'unresolved'
            on_reject: continue
          - id: inspection
            name: { zh: 消防检查, en: Inspection }
            department: schools
            needs: [persuade]
            when: case.reports >= 2
          - id: verify
            name: { zh: 核查, en: Verify }
            department: archive
            needs: [police, enforcement]
            join: any
          - id: tell-family
            name: { zh: 告知家属, en: Tell the family }
            kind: notify
            needs: [verify]
            notify: { to: familyPhone, message: { zh: 已处置, en: Handled } }
        """;

    /// <summary>inspect, then a wait of 3 days for rectification, then re-inspect.</summary>
    private const string Rectification =
        """
        id: rectification
        name: { zh: 整改, en: Rectification }
        steps:
          - { id: inspect, name: { zh: 检查, en: Inspect }, department: land }
          - { id: rectify, name: { zh: 整改期, en: Rectification period }, kind: wait, duration: 3d, needs: [inspect] }
          - { id: reinspect, name: { zh: 复查, en: Re-inspect }, department: land, needs: [rectify] }
        """;

    private readonly WorkflowDefinition incident = TestWorkflows.Parse(Incident);
    private readonly WorkflowDefinition rectification = TestWorkflows.Parse(Rectification);
    private readonly FormData form = TestWorkflows.Form("""{ "place": "3幢东侧", "familyPhone": "13812345678" }""");

    [Fact]
    public void A_step_with_declared_outcomes_refuses_an_approval_without_one_of_them()
    {
        var state = Start().State;

        var plain = Decide(state, "persuade", Decision.Approve, outcome: null);
        var unknown = Decide(state, "persuade", Decision.Approve, outcome: "moved-away");

        Assert.Equal(RefusalReason.InvalidOutcome, Assert.IsType<Refused>(plain).Reason);
        Assert.Contains("resolved, unresolved", Assert.IsType<Refused>(unknown).Message);
    }

    [Fact]
    public void An_unresolved_persuasion_starts_police_and_enforcement_and_skips_what_its_condition_excludes()
    {
        var result = Approve(Start().State, "persuade", "unresolved");

        Assert.Equal("unresolved", result.State.FindStep("persuade")!.Outcome);
        Assert.Equal(StepStatus.Active, result.State.FindStep("police")!.Status);
        Assert.Equal(StepStatus.Active, result.State.FindStep("enforcement")!.Status);
        Assert.Equal(StepStatus.Skipped, result.State.FindStep("inspection")!.Status);
        Assert.Equal(["police", "enforcement"], result.Effects.OfType<DispatchTask>().Select(task => task.StepId));
    }

    [Fact]
    public void A_resolved_persuasion_skips_enforcement_and_the_any_of_join_then_runs_verification()
    {
        var result = Approve(Start().State, "persuade", "resolved");

        Assert.Equal(StepStatus.Skipped, result.State.FindStep("police")!.Status);
        Assert.Equal(StepStatus.Skipped, result.State.FindStep("enforcement")!.Status);
        Assert.Equal(StepStatus.Active, result.State.FindStep("verify")!.Status);
    }

    [Fact]
    public void An_any_of_join_runs_after_the_first_approval_while_the_other_branch_stays_open()
    {
        var state = Approve(Start().State, "persuade", "unresolved").State;

        var result = Approve(state, "police");

        Assert.Equal(StepStatus.Active, result.State.FindStep("verify")!.Status);
        Assert.Equal(StepStatus.Active, result.State.FindStep("enforcement")!.Status);
        Assert.Equal(CaseStatus.Running, result.State.Status);
    }

    [Fact]
    public void A_rejection_with_continue_policy_lets_the_case_go_on_without_the_step()
    {
        var state = Approve(Start().State, "persuade", "unresolved").State;
        state = Approve(state, "police").State;

        var rejected = Assert.IsType<Applied>(Decide(state, "enforcement", Decision.Reject));
        var completed = Approve(rejected.State, "verify");

        Assert.Equal(StepStatus.Rejected, rejected.State.FindStep("enforcement")!.Status);
        Assert.Equal(CaseStatus.Running, rejected.State.Status);
        Assert.DoesNotContain(rejected.Effects, effect => effect is CancelTask or CompleteCase);
        Assert.Equal(CaseStatus.Completed, completed.State.Status);
    }

    [Fact]
    public void A_notify_step_sends_its_message_and_ends_at_once_so_the_case_completes()
    {
        var state = Approve(Start().State, "persuade", "resolved").State;

        var result = Approve(state, "verify");

        Assert.Contains(new SendNotification("tell-family", "familyPhone", new LocalizedText("已处置", "Handled")), result.Effects);
        Assert.Equal("sent", result.State.FindStep("tell-family")!.Outcome);
        Assert.Equal(CaseStatus.Completed, result.State.Status);
    }

    [Fact]
    public void A_breach_with_actions_notifies_cancels_the_step_and_starts_the_named_step()
    {
        var state = Start().State;
        var at = Reported.AddMinutes(31);

        var result = Assert.IsType<Applied>(Breach(state, "persuade", at));

        var persuade = result.State.FindStep("persuade")!;
        Assert.Equal(StepStatus.Cancelled, persuade.Status);
        Assert.Equal("breached", persuade.Outcome);
        Assert.Equal(at, persuade.BreachedAt);
        Assert.Equal(StepStatus.Active, result.State.FindStep("police")!.Status);
        // enforcement's condition tests for 'unresolved', so after a breach it is skipped; police was forced anyway.
        Assert.Equal(StepStatus.Skipped, result.State.FindStep("enforcement")!.Status);
        Assert.Equal<Effect>(
            [
                new SendNotification("persuade", "clerk", new LocalizedText("劝离超时", "Persuasion timed out")),
                new CancelTask(TaskIds.For(CaseId, "persuade"), "persuade", "registry", CancelCause.DeadlineMissed, "deadline missed"),
                new StepEnded("persuade", "breached"),
                new StepForced("police", "persuade"),
                new DispatchTask(TaskIds.For(CaseId, "police"), "police", "pensions", StepKind.Review, null),
                new SkipStep("enforcement", "condition 'steps.persuade.outcome == 'unresolved'' is false"),
                new SkipStep("inspection", "condition 'case.reports >= 2' is false"),
            ],
            result.Effects);
    }

    [Fact]
    public void A_second_breach_of_the_same_step_changes_nothing()
    {
        var breached = Assert.IsType<Applied>(Breach(Start().State, "persuade", Reported.AddMinutes(31)));
        var stillOpen = Assert.IsType<Applied>(Breach(Approve(Start().State, "persuade", "unresolved").State, "police", Reported.AddHours(1)));

        Assert.IsType<AlreadyApplied>(Breach(breached.State, "persuade", Reported.AddMinutes(40)));
        Assert.IsType<AlreadyApplied>(Breach(stillOpen.State, "police", Reported.AddHours(2)));
        Assert.Empty(stillOpen.Effects);
        Assert.Equal(StepStatus.Active, stillOpen.State.FindStep("police")!.Status);
    }

    [Fact]
    public void A_report_attached_before_persuasion_ends_brings_in_the_inspection()
    {
        var state = Assert.IsType<Applied>(CaseEngine.Apply(incident, Start().State, form, new IncidentReportAttached(), Reported.AddMinutes(5))).State;

        var result = Approve(state, "persuade", "resolved");

        Assert.Equal(2, state.Reports);
        Assert.Equal(StepStatus.Active, result.State.FindStep("inspection")!.Status);
    }

    [Fact]
    public void A_wait_step_starts_a_wait_and_the_next_step_runs_when_it_has_elapsed()
    {
        var started = CaseEngine.Start(rectification, CaseId, FormData.Empty, Reported);
        var waiting = Approve(started.State, "inspect", definition: rectification);

        var elapsed = Assert.IsType<Applied>(CaseEngine.Apply(rectification, waiting.State, FormData.Empty, new WaitElapsed("rectify"), Reported.AddDays(3)));

        Assert.Equal<Effect>([new StartWait("rectify", new Sla(3, SlaUnit.Days))], waiting.Effects);
        Assert.Null(waiting.State.FindStep("rectify")!.TaskId);
        Assert.Equal("elapsed", elapsed.State.FindStep("rectify")!.Outcome);
        Assert.Equal(StepStatus.Active, elapsed.State.FindStep("reinspect")!.Status);
        Assert.IsType<AlreadyApplied>(CaseEngine.Apply(rectification, elapsed.State, FormData.Empty, new WaitElapsed("rectify"), Reported.AddDays(4)));
        Assert.Equal(RefusalReason.NotAWaitStep,
            Assert.IsType<Refused>(CaseEngine.Apply(rectification, elapsed.State, FormData.Empty, new WaitElapsed("reinspect"), Reported.AddDays(4))).Reason);
    }

    [Fact]
    public void A_supplement_pauses_the_task_blocks_decisions_until_submitted_and_then_resumes_the_same_task()
    {
        var state = Start().State;
        var taskId = TaskIds.For(CaseId, "persuade");

        var requested = Assert.IsType<Applied>(
            CaseEngine.Apply(incident, state, form, new SupplementRequested("persuade", taskId, "请补充现场照片", "reviewer-1"), Reported.AddMinutes(5)));
        var decideMeanwhile = Decide(requested.State, "persuade", Decision.Approve, "resolved");
        var askAgain = CaseEngine.Apply(incident, requested.State, form, new SupplementRequested("persuade", taskId, "again", "reviewer-1"), Reported.AddMinutes(6));
        var submitted = Assert.IsType<Applied>(CaseEngine.Apply(incident, requested.State, form, new SupplementSubmitted("clerk-1"), Reported.AddMinutes(20)));

        Assert.Equal<Effect>([new PauseTask(taskId, "persuade", "请补充现场照片")], requested.Effects);
        Assert.True(requested.State.FindStep("persuade")!.AwaitsSupplement);
        Assert.Equal(RefusalReason.SupplementOutstanding, Assert.IsType<Refused>(decideMeanwhile).Reason);
        Assert.Equal(RefusalReason.SupplementOutstanding, Assert.IsType<Refused>(askAgain).Reason);
        Assert.Equal<Effect>([new ResumeTask(taskId, "persuade")], submitted.Effects);
        Assert.False(submitted.State.FindStep("persuade")!.AwaitsSupplement);
        Assert.Equal(taskId, submitted.State.FindStep("persuade")!.TaskId);
        Assert.IsType<Applied>(Decide(submitted.State, "persuade", Decision.Approve, "resolved"));
        Assert.Equal(RefusalReason.NoSupplementRequested,
            Assert.IsType<Refused>(CaseEngine.Apply(incident, submitted.State, form, new SupplementSubmitted("clerk-1"), Reported.AddMinutes(21))).Reason);
    }

    [Fact]
    public void Withdrawing_cancels_open_tasks_and_waits_and_ends_the_case_as_withdrawn()
    {
        var waiting = Approve(CaseEngine.Start(rectification, CaseId, FormData.Empty, Reported).State, "inspect", definition: rectification).State;
        var open = Approve(Start().State, "persuade", "unresolved").State;

        var withdrawnWait = Assert.IsType<Applied>(CaseEngine.Apply(rectification, waiting, FormData.Empty, new CaseWithdrawn("已自行整改", "clerk-1"), Reported.AddDays(1)));
        var withdrawnTasks = Assert.IsType<Applied>(CaseEngine.Apply(incident, open, form, new CaseWithdrawn("报告有误", "clerk-1"), Reported.AddHours(1)));

        Assert.Equal(CaseStatus.Withdrawn, withdrawnWait.State.Status);
        Assert.Equal<Effect>([new CancelWait("rectify"), new CompleteCase(CaseStatus.Withdrawn)], withdrawnWait.Effects);
        Assert.Equal(["police", "enforcement"], withdrawnTasks.Effects.OfType<CancelTask>().Select(cancel => cancel.StepId));
        Assert.All(withdrawnTasks.Effects.OfType<CancelTask>(), cancel => Assert.Equal("case withdrawn: 报告有误", cancel.Reason));
        Assert.All(withdrawnTasks.Effects.OfType<CancelTask>(), cancel => Assert.Equal(CancelCause.CaseWithdrawn, cancel.Cause));
        Assert.Equal(StepStatus.Cancelled, withdrawnTasks.State.FindStep("verify")!.Status);
        Assert.Equal(RefusalReason.CaseEnded, Assert.IsType<Refused>(Decide(withdrawnTasks.State, "police", Decision.Approve)).Reason);
        Assert.Equal(RefusalReason.CaseEnded,
            Assert.IsType<Refused>(CaseEngine.Apply(incident, withdrawnTasks.State, form, new CaseWithdrawn("again", null), Reported.AddHours(2))).Reason);
    }

    [Fact]
    public void The_same_events_on_the_same_state_give_the_same_result()
    {
        var first = Approve(Start().State, "persuade", "unresolved");
        var second = Approve(Start().State, "persuade", "unresolved");

        Assert.Equal(first, second);
    }

    private Applied Start() => CaseEngine.Start(incident, CaseId, form, Reported, reports: 1);

    private Applied Approve(CaseState state, string stepId, string? outcome = null, WorkflowDefinition? definition = null) =>
        Assert.IsType<Applied>(Decide(state, stepId, Decision.Approve, outcome, definition));

    private EngineResult Decide(CaseState state, string stepId, Decision decision, string? outcome = null, WorkflowDefinition? definition = null) =>
        CaseEngine.Apply(definition ?? incident, state, definition is null ? form : FormData.Empty,
            new StepDecided(stepId, TaskIds.For(CaseId, stepId), decision, null, "reviewer-1", outcome), Reported.AddMinutes(10));

    private EngineResult Breach(CaseState state, string stepId, DateTimeOffset at) =>
        CaseEngine.Apply(incident, state, form, new StepBreached(stepId, TaskIds.For(CaseId, stepId)), at);
}
