using System.Net;
using System.Net.Http.Json;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Api.Workflows;
using OneThing.Engine;
using OneThing.Processing;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class WorkflowVersionTests(PostgresServer postgres) : IDisposable
{
    private readonly WorkflowFolder _workflows = new();

    public void Dispose() => _workflows.Dispose();

    [Fact]
    public async Task A_running_case_keeps_its_version_when_a_changed_workflow_is_registered_and_new_cases_take_the_new_one()
    {
        var database = await postgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Workflows:Directory"] = _workflows.Path };
        Guid runningCaseId;
        await using (var before = new OneThingHost(database, settings))
        {
            var api = new ApiClient(before);
            runningCaseId = (await api.FileIdentityChangeAsync()).Id;
            await api.WaitForTaskAsync("household-registration", runningCaseId);
        }

        var file = await _workflows.AddArchiveStepToIdentityChangeAsync();

        await using var after = new OneThingHost(database, settings);
        var afterApi = new ApiClient(after);
        var versions = (await afterApi.Http.GetFromJsonAsync<List<WorkflowVersionResponse>>("/api/workflows/identity-change/versions", OneThingJson.Options))!;
        var fresh = await afterApi.FileIdentityChangeAsync();
        var running = await afterApi.GetCaseAsync(runningCaseId);

        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal([false, true], versions.Select(v => v.Latest));
        Assert.Equal(WorkflowLoader.ContentHash(await File.ReadAllTextAsync(file)), versions[1].ContentHash);
        Assert.Equal(2, fresh.WorkflowVersion);
        Assert.Contains(fresh.Steps, s => s.StepId == "archive");
        Assert.Equal(1, running.WorkflowVersion);
        Assert.DoesNotContain(running.Steps, s => s.StepId == "archive");

        await ApiClient.ExpectAsync(HttpStatusCode.OK, afterApi.ApproveAsync((await afterApi.WaitForTaskAsync("household-registration", runningCaseId)).Id));
        foreach (var department in new[] { "social-security", "medical-insurance", "education", "real-estate-registration" })
        {
            await ApiClient.ExpectAsync(HttpStatusCode.OK, afterApi.ApproveAsync((await afterApi.WaitForTaskAsync(department, runningCaseId)).Id));
        }

        var completed = await afterApi.WaitForCaseAsync(runningCaseId, c => c.Status == "completed", "the version 1 case to complete");
        Assert.Equal(6, completed.Steps.Count);
        Assert.DoesNotContain(await afterApi.InboxAsync("civil-affairs"), t => t.CaseId == runningCaseId);
        var unknown = await afterApi.Http.GetAsync("/api/workflows/no-such-thing/versions");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Who_sets_a_provided_field_is_decided_by_the_cases_own_workflow_version_not_the_latest()
    {
        var database = await postgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Workflows:Directory"] = _workflows.Path };
        var form = new Dictionary<string, object?>
        {
            ["companyName"] = "宁波江北甬创智能科技有限公司", ["companyType"] = "limited-liability", ["registeredAddress"] = "宁波市江北区长兴路689弄21号",
            ["registeredCapital"] = 100, ["businessScope"] = "智能传感器研发、销售", ["legalRepresentative"] = "李海燕",
            ["legalRepresentativeIdNumber"] = "11010519491231002X", ["phone"] = "13812345678", ["sealEngraver"] = "宁波江北诚信刻章有限公司",
            ["taxpayerType"] = "small-scale", ["invoiceTypes"] = "ordinary", ["openBankAccount"] = true,
        };
        Guid runningCaseId;
        await using (var before = new OneThingHost(database, settings))
        {
            var api = new ApiClient(before);
            runningCaseId = (await api.FileAsync("enterprise-opening", form)).Id;
            var licence = await api.WaitForTaskAsync("market-regulation", runningCaseId);
            await ApiClient.ExpectAsync(HttpStatusCode.OK, api.RequestSupplementAsync(licence.Id, "请补充租赁合同"));
        }

        // Version 2 lets the clerk enter the credit code: the licence step no longer provides it.
        var file = Path.Combine(_workflows.Path, "enterprise-opening.yaml");
        var yaml = await File.ReadAllTextAsync(file);
        Assert.Contains("    provides: [creditCode]\n", yaml);
        await File.WriteAllTextAsync(file, yaml.Replace("    provides: [creditCode]\n", ""));

        await using var after = new OneThingHost(database, settings);
        var afterApi = new ApiClient(after);
        var setByClerk = await afterApi.SubmitSupplementAsync(runningCaseId, new { form = new { creditCode = "91330205MA2H7K8L1N" } });
        Assert.Equal(HttpStatusCode.BadRequest, setByClerk.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(setByClerk)).GetProperty("errors").TryGetProperty("form.creditCode", out _));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, afterApi.SubmitSupplementAsync(runningCaseId, new { form = new { registeredAddress = "宁波市江北区长兴路689弄22号" } }));
        var resumed = await afterApi.WaitForTaskAsync("market-regulation", runningCaseId);
        Assert.Equal(HttpStatusCode.BadRequest, (await afterApi.ApproveAsync(resumed.Id)).StatusCode);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, afterApi.ApproveWithAsync(resumed.Id, null, new { creditCode = "91330205MA2H7K8L1N" }));

        form["creditCode"] = "91330205MA2J0N4P6L";
        var fresh = await afterApi.FileAsync("enterprise-opening", form);
        Assert.Equal(2, fresh.WorkflowVersion);
        Assert.Equal("91330205MA2J0N4P6L", fresh.Form.GetProperty("creditCode").GetString());
    }
}
