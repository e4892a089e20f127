using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Applicants;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Public;

/// <summary>What the applicant may read of a case once <see cref="ApplicantLookUp"/> has found it: progress, no personal data.</summary>
public sealed class PublicCaseQueries(ApplicantLookUp lookUp, OneThingDbContext db, WorkflowRegistry workflows)
{
    public async Task<CommandResult<PublicCaseStatus>> StatusAsync(string caseNumber, string? phoneLast4, CancellationToken cancellationToken)
    {
        var found = await lookUp.FindAsync(caseNumber, phoneLast4, cancellationToken);
        if (found.Value is not { Record: var record, Definition: var definition })
        {
            return found.Refusal!;
        }

        var state = CaseDocuments.ReadState(record);
        var rated = await db.CaseRatings.AnyAsync(r => r.CaseId == record.Id, cancellationToken);
        var steps = state.Steps.Select(step =>
        {
            var stepDefinition = definition.FindStep(step.StepId)!;
            return new PublicStepProgress(stepDefinition.Department,
                stepDefinition.Department is { } department ? workflows.Departments.Find(department)?.Name : null, stepDefinition.Name,
                StoredNames.Of(step.Status), step.EndedAt);
        }).ToList();
        return CommandResult<PublicCaseStatus>.Done(
            new PublicCaseStatus(record.CaseNumber, definition.Name, record.Status, record.FiledAt, record.EndedAt, steps, rated));
    }
}
