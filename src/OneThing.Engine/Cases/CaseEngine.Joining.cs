using System.Collections.Immutable;

namespace OneThing.Engine;

/// <summary>一键协同: a department joined to a running case gets a task of its own, and the case waits for it.</summary>
public static partial class CaseEngine
{
    /// <summary>The step a joined task sits beside (its history and diagram place): the first active step, else the step still waiting on its departments.</summary>
    public static StepState? JoinAnchor(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Steps.Find(step => step.Status == StepStatus.Active)
            ?? state.Steps.Find(step => step.Chosen.Any(chosen => !chosen.HasEnded));
    }

    /// <summary>A joined department is named by the case and the department alone, so a retried join finds the task it made.</summary>
    public static Guid JoinedTaskId(Guid caseId, string department) => TaskIds.For(caseId, "+joined", chosenDepartment: department);

    public static ChosenDepartment? FindJoined(CaseState state, string department)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Steps.SelectMany(step => step.Chosen).FirstOrDefault(chosen => chosen.WasJoined && chosen.Department == department);
    }

    private static EngineResult Join(WorkflowDefinition definition, CaseState state, DepartmentJoined joined, DateTimeOffset now)
    {
        if (FindJoined(state, joined.Department) is not null)
        {
            return new AlreadyApplied(state);
        }

        if (state.Status != CaseStatus.Running)
        {
            return Ended(state);
        }

        if (!definition.Joining.Allows(joined.By, joined.JoinerDepartment))
        {
            return new Refused(RefusalReason.NotAllowed, joined.By == Joiner.Supervisor
                ? $"Workflow '{definition.Id}' lets only the lead department ({definition.Joining.LeadDepartment}) join departments (本事项不允许督办人员协同)."
                : $"Workflow '{definition.Id}' does not let {joined.JoinerDepartment ?? "this department"} join departments; {DescribeJoiners(definition.Joining)} (无权发起协同).");
        }

        if (JoinAnchor(state) is not { } anchor)
        {
            return new Refused(RefusalReason.StepNotActive, $"Case {state.CaseId} has no open step to join a department beside.");
        }

        var taskId = JoinedTaskId(state.CaseId, joined.Department);
        var task = new ChosenDepartment(joined.Department, taskId, StepStatus.Active) { JoinedReason = joined.Reason };
        var index = state.Steps.IndexOf(anchor);
        state = state with { Steps = state.Steps.SetItem(index, anchor with { Chosen = anchor.Chosen.Add(task) }) };
        return new Applied(state, [
            new DepartmentJoinedCase(anchor.StepId, joined.Department, taskId, joined.Reason, joined.Actor),
            new DispatchTask(taskId, anchor.StepId, joined.Department, StepKind.Review, joined.Sla, anchor.Round, Chosen: true),
        ]);
    }

    private static string DescribeJoiners(JoiningRule rule) =>
        string.Join(" or ", rule.By.Select(by => by == Joiner.Supervisor ? "supervisors" : $"reviewers of {rule.LeadDepartment}")) + " may";
}
