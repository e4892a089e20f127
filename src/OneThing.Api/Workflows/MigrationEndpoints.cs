using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Workflows;

/// <param name="StepMapping">Old step id → step id of the target version; steps left out keep their id.</param>
public sealed record MigrationDryRunRequest(int? FromVersion, int? ToVersion, Dictionary<string, string>? StepMapping);

/// <param name="CaseIds">The cases to move (at most 1000); or leave out and set <paramref name="AllMovable"/>.</param>
public sealed record MigrationApplyRequest(int? FromVersion, int? ToVersion, Dictionary<string, string>? StepMapping, List<Guid>? CaseIds, bool? AllMovable);

public sealed record MigrationReport(string WorkflowId, int FromVersion, int ToVersion, int Movable, int Moved, IReadOnlyList<CaseMigrationOutcome> Cases);

/// <summary>Moving running cases to a newer version of their workflow (admins only).</summary>
public static class MigrationEndpoints
{
    private const int MaxCases = 1000;

    public static IEndpointRouteBuilder MapMigrationEndpoints(this IEndpointRouteBuilder routes)
    {
        var migrations = routes.MapGroup("/api/admin/workflows/{id}/migrations").WithTags("Workflows").RequireAuthorization(Policies.ManageWorkflows);
        migrations.MapPost("/dry-run", DryRunAsync).WithName("DryRunCaseMigration")
            .WithSummary("Which running cases of fromVersion could move to toVersion with this step mapping, and why the others cannot; changes nothing");
        migrations.MapPost("/", ApplyAsync).WithName("MigrateCases")
            .WithSummary("Move the listed running cases (or all that can move) to toVersion, each in its own transaction, in history and audit");
        return routes;
    }

    private static async Task<Results<Ok<MigrationReport>, ProblemHttpResult, ValidationProblem>> DryRunAsync(
        string id, MigrationDryRunRequest? body, MigrateCases migrate, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = Shape(body?.FromVersion, body?.ToVersion, body?.StepMapping);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid migration");
        }

        var request = new MigrationPlanRequest(id, body!.FromVersion!.Value, body.ToVersion!.Value, Mapping(body.StepMapping));
        return Answer(request, await migrate.DryRunAsync(request, http.AuditActor(), cancellationToken));
    }

    private static async Task<Results<Ok<MigrationReport>, ProblemHttpResult, ValidationProblem>> ApplyAsync(
        string id, MigrationApplyRequest? body, MigrateCases migrate, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = Shape(body?.FromVersion, body?.ToVersion, body?.StepMapping);
        var all = body?.AllMovable == true;
        if (all == body?.CaseIds is { Count: > 0 })
        {
            errors["caseIds"] = ["Name the cases to move in caseIds, or set allMovable to true; one of the two (指定办件或全部可迁移办件)."];
        }
        else if (body?.CaseIds is { Count: > MaxCases })
        {
            errors["caseIds"] = [$"At most {MaxCases} cases in one request."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid migration");
        }

        var request = new MigrationPlanRequest(id, body!.FromVersion!.Value, body.ToVersion!.Value, Mapping(body.StepMapping));
        return Answer(request, await migrate.ApplyAsync(request, all ? null : body.CaseIds, http.AuditActor(), cancellationToken));
    }

    private static Dictionary<string, string[]> Shape(int? fromVersion, int? toVersion, Dictionary<string, string>? stepMapping)
    {
        var errors = new Dictionary<string, string[]>();
        if (fromVersion is not > 0)
        {
            errors["fromVersion"] = ["fromVersion is the version the cases run on now (1 or more)."];
        }

        if (toVersion is not > 0)
        {
            errors["toVersion"] = ["toVersion is the newer version to move them to (1 or more)."];
        }

        if (stepMapping is { Count: > 500 } || stepMapping?.Any(pair => string.IsNullOrWhiteSpace(pair.Key) || string.IsNullOrWhiteSpace(pair.Value)) == true)
        {
            errors["stepMapping"] = ["stepMapping maps step ids to step ids (at most 500 pairs), e.g. {\"social-security\": \"social-insurance\"}."];
        }

        return errors;
    }

    private static Dictionary<string, string> Mapping(Dictionary<string, string>? stepMapping) =>
        stepMapping?.ToDictionary(pair => pair.Key.Trim(), pair => pair.Value.Trim(), StringComparer.Ordinal) ?? new Dictionary<string, string>();

    private static Results<Ok<MigrationReport>, ProblemHttpResult, ValidationProblem> Answer(MigrationPlanRequest request, MigrationCommandResult result) =>
        result switch
        {
            MigrationCommandResult.Done done => TypedResults.Ok(new MigrationReport(request.WorkflowId, request.FromVersion, request.ToVersion,
                done.Cases.Count(c => c.CanMove), done.Cases.Count(c => c.Moved), done.Cases)),
            MigrationCommandResult.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "Invalid migration"),
            MigrationCommandResult.NotFound notFound => Problems.NotFound(notFound.Message),
            _ => throw new InvalidOperationException($"Unexpected migration result {result}"),
        };
}
