namespace OneThing.Engine.Tests;

public class JoiningTests
{
    private static readonly Guid CaseId = Guid.Parse("7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    private static readonly DateTimeOffset Filed = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly Sla TwoWorkdays = Sla.TryParse("2 workdays", out var sla, out _) ? sla : throw new InvalidOperationException();

    /// <summary>handle, then close; the land bureau (which handles) may also join departments, as may supervisors.</summary>
    private const string Handled =
        """
        id: handled
        name: { zh: 处置, en: Handled }
        joining: { by: [supervisor, lead-department], lead: handle }
        steps:
          - { id: handle, name: { zh: 处置, en: Handle }, department: land }
          - { id: close, name: { zh: 结案, en: Close }, department: archive, needs: [handle] }
        """;

    private const string LeadOnly =
        """
        id: lead-only
        name: { zh: 牵头, en: Lead only }
        joining: { by: [lead-department], lead: land }
        steps:
          - { id: handle, name: { zh: 处置, en: Handle }, department: land }
        """;

    private const string Unconfigured =
        """
        id: plain
        name: { zh: 普通, en: Plain }
        steps:
          - { id: handle, name: { zh: 处置, en: Handle }, department: land }
        """;

    private const string Looped =
        """
        id: looped
        name: { zh: 复查, en: Looped }
        steps:
          - { id: inspect, name: { zh: 复查, en: Inspect }, department: land, outcomes: [rectified, not-rectified] }
        loops:
          - { id: until-fixed, steps: [inspect], until: "steps.inspect.outcome == 'rectified'", max_rounds: 3, on_max: end-case }
        """;

    private readonly WorkflowDefinition handled = TestWorkflows.Parse(Handled);

    [Fact]
    public void A_joined_department_gets_a_review_task_at_the_open_step_with_its_own_deadline()
    {
        var joined = Assert.IsType<Applied>(Join(handled, Start(handled), "schools"));
        var taskId = CaseEngine.JoinedTaskId(CaseId, "schools");

        Assert.Equal(
            [new DepartmentJoinedCase("handle", "schools", taskId, "涉及校园周边", "supervisor"), new DispatchTask(taskId, "handle", "schools", StepKind.Review, TwoWorkdays, Chosen: true)],
            joined.Effects.AsEnumerable());
        var task = Assert.Single(joined.State.FindStep("handle")!.Chosen);
        Assert.Equal(("schools", StepStatus.Active, "涉及校园周边"), (task.Department, task.Status, task.JoinedReason));
    }

    [Fact]
    public void The_case_cannot_complete_while_a_joined_department_is_open_and_completes_when_it_answers()
    {
        var joined = Assert.IsType<Applied>(Join(handled, Start(handled), "schools")).State;
        var handledState = Assert.IsType<Applied>(Decide(handled, joined, "handle", TaskIds.For(CaseId, "handle"))).State;
        var closed = Assert.IsType<Applied>(Decide(handled, handledState, "close", TaskIds.For(CaseId, "close"))).State;

        Assert.Equal(CaseStatus.Running, closed.Status);
        Assert.All(closed.Steps, step => Assert.Equal(StepStatus.Approved, step.Status));

        var answered = Assert.IsType<Applied>(Decide(handled, closed, "handle", CaseEngine.JoinedTaskId(CaseId, "schools"), Decision.Reject));
        Assert.Equal(CaseStatus.Completed, answered.State.Status);
        Assert.Contains(new CompleteCase(CaseStatus.Completed), answered.Effects);
        Assert.Equal(StepStatus.Rejected, answered.State.FindStep("handle")!.Chosen.Single().Status);
    }

    [Fact]
    public void Joining_the_same_department_again_changes_nothing_so_a_retry_never_makes_a_second_task()
    {
        var joined = Assert.IsType<Applied>(Join(handled, Start(handled), "schools")).State;

        var again = Assert.IsType<AlreadyApplied>(Join(handled, joined, "schools", reason: "重复提交"));

        Assert.Equal(joined, again.State);
    }

    [Fact]
    public void Joining_an_ended_case_is_refused()
    {
        var withdrawn = Assert.IsType<Applied>(CaseEngine.Apply(handled, Start(handled), FormData.Empty, new CaseWithdrawn("撤回", "clerk-1"), Filed.AddHours(1))).State;

        Assert.Equal(RefusalReason.CaseEnded, Assert.IsType<Refused>(Join(handled, withdrawn, "schools")).Reason);
    }

    [Fact]
    public void Withdrawing_the_case_cancels_the_open_task_of_a_joined_department()
    {
        var joined = Assert.IsType<Applied>(Join(handled, Start(handled), "schools")).State;

        var withdrawn = Assert.IsType<Applied>(CaseEngine.Apply(handled, joined, FormData.Empty, new CaseWithdrawn("撤回", "clerk-1"), Filed.AddHours(1)));

        Assert.Contains(withdrawn.Effects, effect => effect is CancelTask { Department: "schools" });
        Assert.Equal(StepStatus.Cancelled, withdrawn.State.FindStep("handle")!.Chosen.Single().Status);
    }

    [Fact]
    public void Only_those_the_workflow_names_may_join_a_department()
    {
        var leadOnly = TestWorkflows.Parse(LeadOnly);
        var plain = TestWorkflows.Parse(Unconfigured);

        var supervisorRefused = Assert.IsType<Refused>(Join(leadOnly, Start(leadOnly), "schools"));
        var otherDepartmentRefused = Assert.IsType<Refused>(Join(leadOnly, Start(leadOnly), "schools", Joiner.LeadDepartment, "archive"));
        var leadRefusedWithoutSetting = Assert.IsType<Refused>(Join(plain, Start(plain), "schools", Joiner.LeadDepartment, "land"));

        Assert.Equal(RefusalReason.NotAllowed, supervisorRefused.Reason);
        Assert.Contains("only the lead department (land)", supervisorRefused.Message);
        Assert.Equal(RefusalReason.NotAllowed, otherDepartmentRefused.Reason);
        Assert.Contains("reviewers of land may", otherDepartmentRefused.Message);
        Assert.Equal(RefusalReason.NotAllowed, leadRefusedWithoutSetting.Reason);
        Assert.IsType<Applied>(Join(leadOnly, Start(leadOnly), "schools", Joiner.LeadDepartment, "land"));
        Assert.IsType<Applied>(Join(plain, Start(plain), "schools"));
    }

    [Fact]
    public void A_joined_task_outlives_the_round_of_a_loop_it_joined_and_the_case_still_waits_for_it()
    {
        var looped = TestWorkflows.Parse(Looped);
        var joined = Assert.IsType<Applied>(Join(looped, Start(looped), "schools")).State;

        var secondRound = Assert.IsType<Applied>(Decide(looped, joined, "inspect", TaskIds.For(CaseId, "inspect"), outcome: "not-rectified")).State;
        Assert.Equal(2, secondRound.FindStep("inspect")!.Round);
        Assert.Equal("schools", secondRound.FindStep("inspect")!.Chosen.Single().Department);

        var rectified = Assert.IsType<Applied>(Decide(looped, secondRound, "inspect", TaskIds.For(CaseId, "inspect", 2), outcome: "rectified")).State;
        Assert.Equal(CaseStatus.Running, rectified.Status);
        var answered = Assert.IsType<Applied>(Decide(looped, rectified, "inspect", CaseEngine.JoinedTaskId(CaseId, "schools"))).State;
        Assert.Equal(CaseStatus.Completed, answered.Status);
    }

    [Fact]
    public void A_joined_department_is_drawn_beside_the_step_it_joined_at()
    {
        var joined = Assert.IsType<Applied>(Join(handled, Start(handled), "schools")).State;

        var diagram = MermaidDiagram.Render(handled, TestWorkflows.Departments, joined);

        Assert.Contains("s_handle -.->|\"一键协同 / joined\"| j_schools", diagram);
        Assert.DoesNotContain("j_schools", MermaidDiagram.Render(handled, TestWorkflows.Departments));
    }

    [Fact]
    public void A_joining_section_with_an_unknown_joiner_or_lead_is_refused_at_load_naming_the_problem()
    {
        string With(string joining) => Unconfigured.Replace("steps:", joining + "\nsteps:", StringComparison.Ordinal);

        var errors = new[]
        {
            With("joining: { by: [mayor] }"),
            With("joining: { by: [lead-department] }"),
            With("joining: { by: [lead-department], lead: ghost }"),
            With("joining: { by: [supervisor], lead: handle }"),
        }.SelectMany(yaml => TestWorkflows.Refuse(yaml)).Select(error => error.ToString()).ToList();

        Assert.Contains("bad.yaml: joining: by 'mayor' is not known; use supervisor and/or lead-department", errors);
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: joining: by allows the lead-department, so lead must name a step or a department"));
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: joining: lead 'ghost' is neither a step of this workflow nor a department"));
        Assert.Contains("bad.yaml: joining: lead 'handle' is set but by does not allow the lead-department", errors);
    }

    private static CaseState Start(WorkflowDefinition workflow) => CaseEngine.Start(workflow, CaseId, FormData.Empty, Filed).State;

    private static EngineResult Join(WorkflowDefinition workflow, CaseState state, string department, Joiner by = Joiner.Supervisor, string? joinerDepartment = null,
        string reason = "涉及校园周边") =>
        CaseEngine.Apply(workflow, state, FormData.Empty, new DepartmentJoined(department, TwoWorkdays, reason, "supervisor", by, joinerDepartment), Filed.AddMinutes(30));

    private static EngineResult Decide(WorkflowDefinition workflow, CaseState state, string stepId, Guid taskId, Decision decision = Decision.Approve, string? outcome = null) =>
        CaseEngine.Apply(workflow, state, FormData.Empty, new StepDecided(stepId, taskId, decision, null, "reviewer", outcome), Filed.AddHours(1));
}
