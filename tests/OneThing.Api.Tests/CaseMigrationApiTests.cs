using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Api.Workflows;
using OneThing.Processing;

namespace OneThing.Api.Tests;

/// <summary>Moving running cases to a newer version of their workflow: a dry run, then the move, in history and audit.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CaseMigrationApiTests(PostgresServer postgres) : IDisposable
{
    private const string Route = "/api/admin/workflows/identity-change/migrations";

    private readonly WorkflowFolder _workflows = new();

    public void Dispose() => _workflows.Dispose();

    private static readonly Dictionary<string, string> Mapping = new() { ["social-security"] = "social-insurance" };

    [Fact]
    public async Task A_dry_run_lists_who_can_move_then_the_move_takes_the_movable_cases_to_version_2_where_they_finish_and_leaves_the_others_untouched()
    {
        var database = await postgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Workflows:Directory"] = _workflows.Path };
        Guid waiting, blocked, renamed, renamedTask;
        await using (var before = new OneThingHost(database, settings))
        {
            var v1 = new ApiClient(before);
            waiting = (await v1.FileIdentityChangeAsync()).Id;
            blocked = (await v1.FileIdentityChangeAsync()).Id;
            renamed = (await v1.FileIdentityChangeAsync(hasSchoolAgeChild: false)).Id;
            foreach (var caseId in new[] { blocked, renamed })
            {
                await ApiClient.ExpectAsync(HttpStatusCode.OK, v1.ApproveAsync((await v1.WaitForTaskAsync("household-registration", caseId)).Id));
            }

            await v1.WaitForTaskAsync("education", blocked);
            renamedTask = (await v1.WaitForTaskAsync("social-security", renamed)).Id;
        }

        // Version 2 renames the social security step, drops the school records step and adds a civil affairs archive.
        var file = Path.Combine(_workflows.Path, "identity-change.yaml");
        var yaml = await File.ReadAllTextAsync(file);
        var education = yaml.IndexOf("  - id: education", StringComparison.Ordinal);
        var realEstate = yaml.IndexOf("  - id: real-estate", StringComparison.Ordinal);
        yaml = yaml.Remove(education, realEstate - education).Replace("id: social-security", "id: social-insurance") + """

              - id: archive
                name: { zh: 民政档案更新, en: Civil affairs archive }
                department: civil-affairs
                kind: review
                needs: [household]
                sees: [newName]

            """;
        await File.WriteAllTextAsync(file, yaml);

        await using var after = new OneThingHost(database, settings);
        var api = new ApiClient(after);
        var admin = api.As(Staff.Admin);

        var unknownStep = await admin.PostAsJsonAsync($"{Route}/dry-run", new { fromVersion = 1, toVersion = 2, stepMapping = new { household = "nowhere" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknownStep.StatusCode);
        Assert.Contains("nowhere", (await ApiClient.ProblemAsync(unknownStep)).GetProperty("errors").GetProperty("stepMapping.household")[0].GetString());

        var dryRun = await ReportAsync(await admin.PostAsJsonAsync($"{Route}/dry-run", new { fromVersion = 1, toVersion = 2, stepMapping = Mapping }));
        Assert.Equal((2, 0), (dryRun.Movable, dryRun.Moved));
        Assert.True(dryRun.Cases.Single(c => c.CaseId == waiting).CanMove);
        Assert.True(dryRun.Cases.Single(c => c.CaseId == renamed).CanMove);
        var why = Assert.Single(dryRun.Cases.Single(c => c.CaseId == blocked).Reasons);
        Assert.Contains("'education'", why);
        Assert.Equal(1, (await api.GetCaseAsync(renamed)).WorkflowVersion);

        var applied = await ReportAsync(await admin.PostAsJsonAsync(Route, new { fromVersion = 1, toVersion = 2, stepMapping = Mapping, allMovable = true }));
        Assert.Equal(2, applied.Moved);
        Assert.False(applied.Cases.Single(c => c.CaseId == blocked).Moved);

        var untouched = await api.GetCaseAsync(blocked);
        Assert.Equal(1, untouched.WorkflowVersion);
        Assert.DoesNotContain(untouched.History, h => h.Type == "case-migrated");
        Assert.Contains(untouched.Steps, s => s.StepId == "social-security");

        var moved = await api.GetCaseAsync(renamed);
        Assert.Equal(2, moved.WorkflowVersion);
        Assert.Equal("moved from version 1 to version 2; task of social-security now on social-insurance",
            Assert.Single(moved.History, h => h.Type == "case-migrated").Detail);
        Assert.Equal(renamedTask, ApiClient.Step(moved, "social-insurance").TaskId);
        Assert.DoesNotContain(moved.Steps, s => s.StepId == "education");

        // On version 2 the case finishes: the renamed task keeps its id, the archive step started as the case moved.
        await ApiClient.ExpectAsync(HttpStatusCode.OK, api.ApproveAsync(renamedTask));
        foreach (var department in new[] { "medical-insurance", "real-estate-registration", "civil-affairs" })
        {
            await ApiClient.ExpectAsync(HttpStatusCode.OK, api.ApproveAsync((await api.WaitForTaskAsync(department, renamed)).Id));
        }

        var completed = await api.WaitForCaseAsync(renamed, c => c.Status == "completed", "the moved case to complete on version 2");
        Assert.Equal(["household", "social-insurance", "medical-insurance", "housing-fund", "real-estate", "archive"], completed.Steps.Select(s => s.StepId));
        Assert.Equal(2, (await AuditAsync(api, "case-migrated")).Count);
        Assert.Single(await AuditAsync(api, "migration-dry-run"));

        var again = await ReportAsync(await admin.PostAsJsonAsync(Route, new { fromVersion = 1, toVersion = 2, stepMapping = Mapping, caseIds = new[] { renamed } }));
        Assert.Contains("version 2", Assert.Single(again.Cases).Reasons.Single());
    }

    [Fact]
    public async Task A_version_that_is_not_newer_a_missing_choice_of_cases_and_an_unknown_workflow_are_refused_and_only_admins_migrate()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var host = new OneThingHost(database, new Dictionary<string, string?> { ["Workflows:Directory"] = _workflows.Path });
        var api = new ApiClient(host);
        var admin = api.As(Staff.Admin);

        var sameVersion = await admin.PostAsJsonAsync($"{Route}/dry-run", new { fromVersion = 1, toVersion = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, sameVersion.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(sameVersion)).GetProperty("errors").TryGetProperty("toVersion", out _));
        var noChoice = await admin.PostAsJsonAsync(Route, new { fromVersion = 1, toVersion = 2 });
        Assert.Equal(HttpStatusCode.BadRequest, noChoice.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(noChoice)).GetProperty("errors").TryGetProperty("caseIds", out _));
        Assert.Equal(HttpStatusCode.NotFound,
            (await admin.PostAsJsonAsync("/api/admin/workflows/no-such-thing/migrations/dry-run", new { fromVersion = 1, toVersion = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.As(Staff.Supervisor).PostAsJsonAsync($"{Route}/dry-run", new { fromVersion = 1, toVersion = 2 })).StatusCode);
    }

    private static async Task<MigrationReport> ReportAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<MigrationReport>(OneThingJson.Options))!;
    }

    private static async Task<List<JsonElement>> AuditAsync(ApiClient api, string action) =>
        (await api.As(Staff.Admin).GetFromJsonAsync<JsonElement>($"/api/audit?action={action}")).GetProperty("items").EnumerateArray().ToList();
}
