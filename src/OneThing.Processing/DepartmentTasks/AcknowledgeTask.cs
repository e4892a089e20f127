using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>A department has the task: it moves from "dispatched" into the inbox. Repeats change nothing.</summary>
public sealed class AcknowledgeTask(CaseCommands commands, CaseHistory history, TimeProvider clock)
{
    /// <returns>Whether this acknowledgement moved the task (false for a repeat or a task that moved on).</returns>
    public async Task<bool> HandleAsync(Guid taskId, string receivedBy, CancellationToken cancellationToken)
    {
        var result = await commands.OnTaskAsync(taskId, (unit, task, _) => Task.FromResult(Acknowledge(unit, task, receivedBy)), cancellationToken);
        return result.IsDone;
    }

    private CommandResult<Unit> Acknowledge(CaseUnit unit, DepartmentTask task, string receivedBy)
    {
        if (!TaskLifecycle.Acknowledge(task, clock.GetUtcNow()))
        {
            return new Refusal.Conflict($"Task {task.Id} is {TaskStateNames.Of(task.State)}, past its acknowledgement.");
        }

        history.Add(unit.Id, CaseEventTypes.TaskReceived, task.StepId, task.Id, receivedBy, task.Department);
        return CommandResult<Unit>.Done(Unit.Value);
    }
}
