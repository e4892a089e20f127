using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class AuditTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<List<JsonElement>> AuditAsync(string query, string userName = Staff.Supervisor) =>
        (await _api.As(userName).GetFromJsonAsync<JsonElement>($"/api/audit?{query}")).GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task Filing_claims_decisions_urges_and_reassignments_are_audited_with_who_role_target_time_and_address()
    {
        await _api.CreateAccountAsync("wang.social", "reviewer", "social-security");
        var filed = await _api.FileIdentityChangeAsync();
        var household = await _api.WaitForTaskAsync("household-registration", filed.Id);
        await _api.Reviewer("household-registration").PostAsync($"/api/tasks/{household.Id}/claim", null);
        await _api.ApproveAsync(household.Id);
        var social = await _api.WaitForTaskAsync("social-security", filed.Id);
        await _api.As(Staff.Supervisor).PostAsJsonAsync($"/api/cases/{filed.Id}/urge", new { message = "请尽快办理" });
        await _api.As(Staff.Supervisor).PostAsJsonAsync($"/api/tasks/{social.Id}/reassign", new { assignee = "wang.social" });
        Assert.Equal(HttpStatusCode.OK, (await _api.As("wang.social").PostAsJsonAsync($"/api/tasks/{social.Id}/reject", new { reason = "参保地不在本区" })).StatusCode);
        var systemDecision = await _api.WaitForCaseAsync(filed.Id, c => c.Steps.Single(s => s.StepId == "housing-fund").TaskState is "approved" or "cancelled", "housing fund to end");

        var entries = await AuditAsync("pageSize=500");

        void AssertEntry(string action, string actor, string role, string targetId)
        {
            var entry = entries.FirstOrDefault(e => e.GetProperty("action").GetString() == action && e.GetProperty("targetId").GetString() == targetId);
            Assert.True(entry.ValueKind == JsonValueKind.Object, $"no {action} on {targetId}: {string.Join("\n", entries)}");
            Assert.Equal(actor, entry.GetProperty("actor").GetString());
            Assert.Equal(role, entry.GetProperty("role").GetString());
            Assert.Equal("127.0.0.1", entry.GetProperty("clientAddress").GetString());
            Assert.True(entry.GetProperty("occurredAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        AssertEntry("case-filed", Staff.Clerk, "clerk", filed.Id.ToString());
        AssertEntry("task-claimed", "reviewer.household-registration", "reviewer", household.Id.ToString());
        AssertEntry("task-approved", "reviewer.household-registration", "reviewer", household.Id.ToString());
        AssertEntry("case-urged", Staff.Supervisor, "supervisor", filed.Id.ToString());
        AssertEntry("task-reassigned", Staff.Supervisor, "supervisor", social.Id.ToString());
        AssertEntry("task-rejected", "wang.social", "reviewer", social.Id.ToString());
        Assert.NotNull(systemDecision);
        Assert.DoesNotContain(entries, e => e.ToString().Contains("11010519491231002X") || e.ToString().Contains("13812345678"));
    }

    [Fact]
    public async Task Supplement_requests_and_submissions_and_withdrawals_are_audited()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var household = await _api.WaitForTaskAsync("household-registration", filed.Id);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RequestSupplementAsync(household.Id, "请补充户口簿复印件"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.SubmitSupplementAsync(filed.Id, new { form = new { reason = "随父姓" }, note = "已补充" }));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.WithdrawAsync(filed.Id, "申请人自行撤回"));

        var entries = await AuditAsync($"pageSize=500");
        var requested = Assert.Single(entries, e => e.GetProperty("action").GetString() == "supplement-requested");
        var submitted = Assert.Single(entries, e => e.GetProperty("action").GetString() == "supplement-submitted");
        var withdrawn = Assert.Single(entries, e => e.GetProperty("action").GetString() == "case-withdrawn");
        Assert.Equal(("reviewer.household-registration", household.Id.ToString()), (requested.GetProperty("actor").GetString(), requested.GetProperty("targetId").GetString()));
        Assert.Equal((Staff.Clerk, filed.Id.ToString()), (submitted.GetProperty("actor").GetString(), submitted.GetProperty("targetId").GetString()));
        Assert.Equal((Staff.Clerk, filed.Id.ToString()), (withdrawn.GetProperty("actor").GetString(), withdrawn.GetProperty("targetId").GetString()));
        Assert.DoesNotContain("随父姓", submitted.ToString());
    }

    [Fact]
    public async Task The_audit_log_is_filtered_by_actor_action_target_and_time_and_read_by_supervisors_and_admins_only()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-30);
        await _api.As(Staff.Supervisor).GetAsync($"/api/cases/{filed.Id}");

        var byActor = await AuditAsync($"actor={Staff.Clerk}&action=case-filed", Staff.Admin);
        var byTarget = await AuditAsync($"targetId={filed.Id}");
        var inWindow = await AuditAsync($"from={Uri.EscapeDataString(before.ToOffset(TimeSpan.FromHours(8)).ToString("O"))}&action=personal-data-read");
        var future = await AuditAsync($"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");

        Assert.Equal(filed.Id.ToString(), Assert.Single(byActor).GetProperty("targetId").GetString());
        Assert.Equal(["personal-data-read", "case-filed"], byTarget.Select(e => e.GetProperty("action").GetString()));
        Assert.Single(inWindow);
        Assert.Empty(future);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.Http.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.Reviewer("education").GetAsync("/api/audit")).StatusCode);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET actor = 'someone-else'")]
    [InlineData("DELETE FROM audit_log")]
    [InlineData("TRUNCATE audit_log")]
    public async Task The_database_refuses_to_change_or_remove_audit_rows_even_for_the_services_own_role(string tampering)
    {
        await _api.FileIdentityChangeAsync();
        var before = await AuditAsync("pageSize=500");
        await using var connection = new NpgsqlConnection(_host.ConnectionString);
        await connection.OpenAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var command = new NpgsqlCommand(tampering, connection);
            await command.ExecuteNonQueryAsync();
        });
        await using (var append = new NpgsqlCommand("INSERT INTO audit_log (occurred_at, action) VALUES (now(), 'test-append')", connection))
        {
            Assert.Equal(1, await append.ExecuteNonQueryAsync());
        }

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("append-only", refused.MessageText);
        var after = await AuditAsync("pageSize=500");
        Assert.Equal(before.Count + 1, after.Count);
        Assert.Equal(before.Select(e => e.ToString()), after.Skip(1).Select(e => e.ToString()));
    }
}
