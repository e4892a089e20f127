using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Tests;

/// <summary>One bad row (a timer that throws, an outbox row that can never be sent, an old version) never stops the rest.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class RowIsolationTests(PostgresServer postgres) : IDisposable
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private const string UnreadablePayload = "{\"taskId\": 12}";
    private readonly string _workflows = CopyOfRepositoryWorkflows();

    public void Dispose() => Directory.Delete(_workflows, recursive: true);

    [Fact]
    public async Task A_timer_whose_firing_throws_is_retried_then_shown_to_supervisors_as_failed_and_the_others_still_fire()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 9, 30, 10, 0, 0, Beijing));
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Deadlines:SweepInterval"] = "01:00:00",
            ["Deadlines:TimerMaxAttempts"] = "3",
            ["Deadlines:TimerRetryDelay"] = "00:01:00",
        }, clock);
        var api = new ApiClient(host);
        var broken = await api.FileIdentityChangeAsync();
        await api.WaitForTaskAsync("household-registration", broken.Id);
        clock.Set(new DateTimeOffset(2026, 9, 30, 10, 1, 0, Beijing));
        var healthy = await api.FileIdentityChangeAsync();
        await api.WaitForTaskAsync("household-registration", healthy.Id);
        // A stored version that no longer parses makes every task timer of that case throw when it fires.
        await host.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO workflow_versions (workflow_id, version, content_hash, source_text, file_name, registered_at)
                VALUES ('identity-change', 99, 'broken', 'steps: [', 'broken.yaml', now())
                """);
            return await db.Database.ExecuteSqlAsync($"UPDATE cases SET workflow_version = 99 WHERE id = {broken.Id}");
        });
        var sweeper = host.Services.GetRequiredService<DeadlineSweeper>();

        clock.Set(new DateTimeOffset(2026, 10, 8, 17, 31, 0, Beijing));
        await sweeper.SweepAsync(CancellationToken.None);
        var retrying = await TimersAsync(api, "retrying");
        clock.Set(new DateTimeOffset(2026, 10, 8, 17, 33, 0, Beijing));
        await sweeper.SweepAsync(CancellationToken.None);
        clock.Set(new DateTimeOffset(2026, 10, 8, 17, 38, 0, Beijing));
        await sweeper.SweepAsync(CancellationToken.None);
        clock.Set(new DateTimeOffset(2026, 10, 8, 18, 30, 0, Beijing));
        await sweeper.SweepAsync(CancellationToken.None);

        var healthyCase = await api.GetCaseAsync(healthy.Id);
        Assert.Equal("red", healthyCase.Steps.Single(s => s.StepId == "household").Deadline.Light);
        Assert.Single(healthyCase.History, h => h.Type == "task-breached");
        Assert.NotEmpty(retrying.GetProperty("items").EnumerateArray());
        Assert.All(retrying.GetProperty("items").EnumerateArray(), t => Assert.Equal(1, t.GetProperty("attempts").GetInt32()));
        var failed = (await TimersAsync(api, "failed")).GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, t =>
        {
            Assert.Equal(broken.CaseNumber, t.GetProperty("caseNumber").GetString());
            Assert.Equal(3, t.GetProperty("attempts").GetInt32());
            Assert.Equal("failed", t.GetProperty("state").GetString());
            Assert.Contains("Exception", t.GetProperty("lastError").GetString());
        });
        Assert.Contains(failed, t => t.GetProperty("kind").GetString() == TimerKinds.TaskBreach);
        Assert.Empty((await TimersAsync(api, "retrying")).GetProperty("items").EnumerateArray());
        var badState = await api.As(Staff.Supervisor).GetAsync("/api/supervision/timers?state=everything");
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
    }

    [Fact]
    public async Task An_outbox_row_that_cannot_be_published_is_set_aside_with_its_reason_and_neither_the_relay_nor_re_sending_stalls()
    {
        var database = await postgres.CreateDatabaseAsync();
        var (unknownId, unreadableId) = (Guid.NewGuid(), Guid.NewGuid());
        Guid caseId;
        await using (var relayOff = new OneThingHost(database, new Dictionary<string, string?> { ["Processing:OutboxRelayEnabled"] = "false" }))
        {
            caseId = (await new ApiClient(relayOff).FileIdentityChangeAsync()).Id;
            await relayOff.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""
                INSERT INTO outbox_messages (message_id, message_type, destination, payload, case_id, created_at) VALUES
                    ({unknownId}, 'NoSuchMessage', NULL, CAST({"{}"} AS jsonb), {caseId}, now()),
                    ({unreadableId}, 'RequestDepartmentTask', 'department-household-registration', CAST({UnreadablePayload} AS jsonb), {caseId}, now())
                """));
        }

        // Departments never acknowledge here, so the task must be sent again although its case has rows that never go.
        await using var host = new OneThingHost(database, new Dictionary<string, string?>
        {
            ["Processing:DepartmentConsumersEnabled"] = "false",
            ["Processing:AcknowledgeTimeout"] = "00:00:00.500",
            ["Processing:ResendCheckInterval"] = "00:00:00.200",
        });
        var api = new ApiClient(host);

        var resent = await api.WaitForCaseAsync(caseId, c => c.History.Any(h => h.Type == "task-redispatched"), "the unacknowledged task to be sent again");

        var rows = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.CaseId == caseId).OrderBy(m => m.Id).ToListAsync());
        var unknown = rows.Single(m => m.MessageId == unknownId);
        var unreadable = rows.Single(m => m.MessageId == unreadableId);
        Assert.Contains(resent.History, h => h.Type == "task-redispatched" && h.StepId == "household");
        // The rows written at filing, before the bad ones; a re-send just written may still be on its way.
        Assert.All(rows.Where(m => m.Id < unknown.Id), m => Assert.NotNull(m.PublishedAt));
        Assert.Null(unknown.PublishedAt);
        Assert.NotNull(unknown.SetAsideAt);
        Assert.Equal("unknown message type 'NoSuchMessage'", unknown.SetAsideReason);
        Assert.Null(unreadable.PublishedAt);
        Assert.NotNull(unreadable.SetAsideAt);
        Assert.StartsWith("payload is not a RequestDepartmentTask", unreadable.SetAsideReason);
    }

    [Fact]
    public async Task A_case_on_an_old_version_keeps_working_after_departments_yaml_renames_one_of_its_departments()
    {
        var database = await postgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Workflows:Directory"] = _workflows };
        Guid caseId;
        await using (var before = new OneThingHost(database, settings))
        {
            var api = new ApiClient(before);
            caseId = (await api.FileIdentityChangeAsync()).Id;
            await api.WaitForTaskAsync("household-registration", caseId);
        }

        foreach (var file in new[] { "departments.yaml", "identity-change.yaml" })
        {
            var path = Path.Combine(_workflows, file);
            var text = await File.ReadAllTextAsync(path);
            await File.WriteAllTextAsync(path, text.Replace("code: education\n", "code: education-bureau\n").Replace("department: education\n", "department: education-bureau\n"));
        }

        await using var after = new OneThingHost(database, settings);
        var afterApi = new ApiClient(after);
        var household = await afterApi.WaitForTaskAsync("household-registration", caseId);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, afterApi.ApproveAsync(household.Id));

        await afterApi.WaitForTaskAsync("social-security", caseId);
        var running = await afterApi.GetCaseAsync(caseId);
        Assert.Equal(1, running.WorkflowVersion);
        Assert.Equal("education", running.Steps.Single(s => s.StepId == "education").Department);
        Assert.Equal(2, (await afterApi.FileIdentityChangeAsync()).WorkflowVersion);
    }

    private static string CopyOfRepositoryWorkflows()
    {
        var source = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(source.FullName, "workflows", "departments.yaml")))
        {
            source = source.Parent ?? throw new InvalidOperationException("No workflows/ folder above the test binaries");
        }

        var from = Path.Combine(source.FullName, "workflows");
        var to = Path.Combine(Path.GetTempPath(), $"onething-workflows-{Guid.NewGuid():N}");
        foreach (var path in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }

        return to;
    }

    private static async Task<JsonElement> TimersAsync(ApiClient api, string state) =>
        await api.As(Staff.Supervisor).GetFromJsonAsync<JsonElement>($"/api/supervision/timers?state={state}");
}
