namespace OneThing.Engine.Tests;

public class ChoiceTests
{
    private static readonly Guid CaseId = Guid.Parse("5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b");
    private static readonly DateTimeOffset Filed = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>矛调中心: the registry desk chooses who acts; tell runs once it has chosen, reply once every chosen department is done.</summary>
    private const string Triage =
        """
        id: triage
        name: { zh: 分派, en: Triage }
        steps:
          - { id: assign, name: { zh: 事情归谁负责, en: Who is responsible }, kind: triage, department: registry, choose_from: [pensions, schools, land], chosen_sla: 2 workdays }
          - { id: tell, name: { zh: 告知, en: Tell }, kind: notify, needs: [assign], notify: { to: clerk, message: { zh: 已分派, en: Assigned } } }
          - { id: reply, name: { zh: 答复, en: Reply }, department: archive, needs: [assign], join: all-chosen }
        """;

    /// <summary>handle, then verify by someone else (of the same department).</summary>
    private const string Verified =
        """
        id: verified
        name: { zh: 核查, en: Verified }
        steps:
          - { id: handle, name: { zh: 处置, en: Handle }, department: land }
          - { id: verify, name: { zh: 核查, en: Verify }, department: land, needs: [handle], verifies: { step: handle } }
          - { id: audit, name: { zh: 督查, en: Audit }, department: archive, needs: [verify], verifies: { step: handle, independent: department } }
        """;

    private readonly WorkflowDefinition triage = TestWorkflows.Parse(Triage);
    private readonly WorkflowDefinition verified = TestWorkflows.Parse(Verified);

    [Theory]
    [InlineData(new string[0], "needs 'departments'")]
    [InlineData(new[] { "archive" }, "cannot choose archive in 'departments'")]
    [InlineData(new[] { "land", "land" }, "more than once")]
    public void A_triage_without_a_choice_or_with_a_department_it_does_not_allow_is_refused(string[] departments, string problem)
    {
        var refused = Assert.IsType<Refused>(Decide(triage, Start(triage), "assign", "desk-1", departments: departments));

        Assert.Equal(RefusalReason.InvalidChoice, refused.Reason);
        Assert.Contains(problem, refused.Message);
    }

    [Fact]
    public void Each_chosen_department_gets_its_own_task_and_deadline_and_all_chosen_waits_for_every_one()
    {
        var chosen = Assert.IsType<Applied>(Decide(triage, Start(triage), "assign", "desk-1", departments: ["pensions", "land"]));
        var sla = triage.FindStep("assign")!.ChosenSla;
        var pensions = TaskIds.For(CaseId, "assign", 1, "pensions");
        var land = TaskIds.For(CaseId, "assign", 1, "land");

        Assert.Equal(
            [new DispatchTask(pensions, "assign", "pensions", StepKind.Review, sla, Chosen: true), new DispatchTask(land, "assign", "land", StepKind.Review, sla, Chosen: true)],
            chosen.Effects.OfType<DispatchTask>());
        Assert.Contains(chosen.Effects, effect => effect is DepartmentsChosen { Departments: ["pensions", "land"] });
        Assert.Equal(StepStatus.Approved, chosen.State.FindStep("tell")!.Status);
        Assert.Equal(StepStatus.Waiting, chosen.State.FindStep("reply")!.Status);

        var onePending = Assert.IsType<Applied>(Decide(triage, chosen.State, "assign", "pensions-1", taskId: pensions));
        Assert.Equal(StepStatus.Waiting, onePending.State.FindStep("reply")!.Status);
        Assert.IsType<AlreadyApplied>(Decide(triage, onePending.State, "assign", "pensions-1", taskId: pensions));

        var allDone = Assert.IsType<Applied>(Decide(triage, onePending.State, "assign", "land-1", Decision.Reject, taskId: land));
        Assert.Equal(StepStatus.Active, allDone.State.FindStep("reply")!.Status);
        Assert.Equal([StepStatus.Approved, StepStatus.Rejected], allDone.State.FindStep("assign")!.Chosen.Select(c => c.Status));
    }

    [Fact]
    public void Ending_the_case_cancels_the_open_tasks_of_chosen_departments()
    {
        var chosen = Assert.IsType<Applied>(Decide(triage, Start(triage), "assign", "desk-1", departments: ["schools", "land"])).State;

        var withdrawn = Assert.IsType<Applied>(CaseEngine.Apply(triage, chosen, FormData.Empty, new CaseWithdrawn("已协商解决", "clerk-1"), Filed.AddHours(2)));

        Assert.Equal(["schools", "land"], withdrawn.Effects.OfType<CancelTask>().Select(cancel => cancel.Department));
        Assert.All(withdrawn.State.FindStep("assign")!.Chosen, c => Assert.Equal(StepStatus.Cancelled, c.Status));
    }

    [Fact]
    public void Only_a_triage_step_takes_departments()
    {
        var refused = Assert.IsType<Refused>(Decide(verified, Start(verified), "handle", "land-1", departments: ["land"]));

        Assert.Equal(RefusalReason.InvalidChoice, refused.Reason);
    }

    [Fact]
    public void A_verification_by_the_person_who_handled_the_step_is_refused_and_the_case_waits_for_another()
    {
        var handled = Assert.IsType<Applied>(Decide(verified, Start(verified), "handle", "land-1")).State;

        var byHandler = Assert.IsType<Refused>(Decide(verified, handled, "verify", "land-1"));
        var rejectedByHandler = Assert.IsType<Refused>(Decide(verified, handled, "verify", "land-1", Decision.Reject));
        var byColleague = Assert.IsType<Applied>(Decide(verified, handled, "verify", "land-2"));

        Assert.Equal(RefusalReason.NotIndependent, byHandler.Reason);
        Assert.Contains("which land-1 decided", byHandler.Message);
        Assert.Equal(RefusalReason.NotIndependent, rejectedByHandler.Reason);
        Assert.Equal(CaseStatus.Running, handled.Status);
        Assert.Equal(StepStatus.Approved, byColleague.State.FindStep("verify")!.Status);
        Assert.Equal("land-2", byColleague.State.FindStep("verify")!.DecidedBy);
    }

    [Fact]
    public void A_verification_independent_of_the_department_refuses_anyone_of_the_department_that_handled_it()
    {
        var verifiedByColleague = Assert.IsType<Applied>(Decide(verified, Assert.IsType<Applied>(Decide(verified, Start(verified), "handle", "land-1")).State, "verify", "land-2")).State;

        var sameDepartment = Assert.IsType<Refused>(Decide(verified, verifiedByColleague, "audit", "land-3", department: "land"));
        var otherDepartment = Assert.IsType<Applied>(Decide(verified, verifiedByColleague, "audit", "archive-1", department: "archive"));

        Assert.Equal(RefusalReason.NotIndependent, sameDepartment.Reason);
        Assert.Contains("another department must verify it", sameDepartment.Message);
        Assert.Equal(CaseStatus.Completed, otherDepartment.State.Status);
    }

    private static CaseState Start(WorkflowDefinition workflow) => CaseEngine.Start(workflow, CaseId, FormData.Empty, Filed).State;

    private static EngineResult Decide(WorkflowDefinition workflow, CaseState state, string stepId, string actor, Decision decision = Decision.Approve,
        IReadOnlyList<string>? departments = null, Guid? taskId = null, string? department = null)
    {
        var task = taskId ?? TaskIds.For(CaseId, stepId);
        department ??= state.FindStep(stepId)!.Chosen.FirstOrDefault(c => c.TaskId == task)?.Department ?? workflow.FindStep(stepId)!.Department;
        return CaseEngine.Apply(workflow, state, FormData.Empty, new StepDecided(stepId, task, decision, null, actor, null, department, departments), Filed.AddHours(1));
    }
}
