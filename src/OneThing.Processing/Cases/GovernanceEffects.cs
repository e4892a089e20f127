using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>Rows for what triage and loops decided: history lines, and the escalation a loop's last round asks for.</summary>
internal static class GovernanceEffects
{
    /// <summary>A later round is named in history, in both languages, so that a reader tells the rounds' tasks apart.</summary>
    public static string WithRound(string text, int round) => round == 1 ? text : $"{text} · round {round} / 第 {round} 轮";

    public static async Task ApplyAsync(CaseHistory history, OneThingDbContext db, IReadOnlyList<EscalationLevel> ladder, Guid caseId, Effect effect,
        CancellationToken cancellationToken)
    {
        switch (effect)
        {
            case DepartmentsChosen chosen:
                history.Add(caseId, CaseEventTypes.DepartmentsChosen, chosen.StepId, detail: string.Join(", ", chosen.Departments));
                break;
            case LoopRepeated repeated:
                history.Add(caseId, CaseEventTypes.LoopRepeated, detail: WithRound($"{repeated.LoopId}: {repeated.UntilText} does not hold yet", repeated.Round));
                break;
            case LoopSatisfied satisfied:
                history.Add(caseId, CaseEventTypes.LoopSatisfied, detail: WithRound($"{satisfied.LoopId}: {satisfied.UntilText} holds", satisfied.Round));
                break;
            case LoopExhausted exhausted:
                history.Add(caseId, CaseEventTypes.LoopExhausted, actor: exhausted.OnMax.Action == LoopLimitAction.Escalate && ladder.Count > 0 ? ladder[^1].To : null,
                    detail: $"{exhausted.LoopId}: {exhausted.Rounds} rounds / {exhausted.Rounds} 轮未果; on_max {exhausted.OnMax}");
                if (exhausted.OnMax.Action == LoopLimitAction.Escalate)
                {
                    // The last round's tasks rise to the top of the ladder, where supervisors' views of escalated work find them.
                    await db.DepartmentTasks.Where(task => exhausted.TaskIds.Contains(task.Id))
                        .ExecuteUpdateAsync(set => set.SetProperty(task => task.EscalationLevel, ladder.Count), cancellationToken);
                }

                break;
        }
    }
}
