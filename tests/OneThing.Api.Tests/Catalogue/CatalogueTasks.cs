using OneThing.Api.DepartmentTasks;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

internal static class CatalogueTasks
{
    /// <summary>The task of one step and round of a case in an inbox, once it can be decided: steps that repeat leave earlier rounds' tasks there.</summary>
    public static Task<DepartmentTaskResponse> WaitForStepAsync(this ApiClient api, string inbox, Guid caseId, string stepId, int round = 1) =>
        Eventually.MatchAsync(
            async () => (await api.InboxAsync(inbox)).SingleOrDefault(t => t.CaseId == caseId && t.StepId == stepId && t.Round == round)!,
            task => task is not null && task.State != "dispatched",
            $"the {stepId} task of round {round} in {inbox}'s inbox");
}
