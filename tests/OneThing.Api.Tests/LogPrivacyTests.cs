using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class LogPrivacyTests(PostgresServer postgres)
{
    // 赵建国 appears only in free text: a supplement request and its note, and the reviewers' comments.
    private static readonly string[] PersonalData = ["张小明", "张明远", "11010519491231002X", "13812345678", "110105194912310021", "赵建国"];

    [Fact]
    public async Task A_full_case_leaves_no_name_id_number_phone_number_or_typed_comment_in_the_log()
    {
        var logFile = Path.Combine(Path.GetTempPath(), $"onething-log-{Guid.NewGuid():N}.txt");
        var settings = new Dictionary<string, string?>
        {
            // What the service writes, through its own Serilog pipeline: its own code at Debug, frameworks as configured.
            ["Logging:File"] = logFile,
            ["Logging:MinimumLevel"] = "Debug",
        };
        Guid caseId;
        try
        {
            await using (var host = new OneThingHost(await postgres.CreateDatabaseAsync(), settings))
            {
                var api = new ApiClient(host);
                var filed = await api.FileIdentityChangeAsync();
                caseId = filed.Id;
                var household = await api.WaitForTaskAsync("household-registration", filed.Id);
                await ApiClient.ExpectAsync(HttpStatusCode.OK, api.RequestSupplementAsync(household.Id, "请赵建国补充户口簿复印件"));
                await ApiClient.ExpectAsync(HttpStatusCode.OK, api.SubmitSupplementAsync(filed.Id, new { form = new { reason = "随父姓" }, note = "赵建国已补交" }));
                foreach (var department in new[] { "household-registration", "social-security", "medical-insurance", "education", "real-estate-registration" })
                {
                    await ApiClient.ExpectAsync(HttpStatusCode.OK, api.ApproveAsync((await api.WaitForTaskAsync(department, filed.Id)).Id, "经办人赵建国核对无误"));
                }

                await api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to complete");
                await api.As(Staff.Supervisor).GetAsync($"/api/cases/{filed.Id}");
                await host.CreateClient().GetAsync($"/api/public/cases/{filed.CaseNumber}?phoneLast4=5678");
                await host.CreateClient().PostAsJsonAsync($"/api/public/cases/{filed.CaseNumber}/rating", new { phoneLast4 = "5678", score = 5, comment = "张小明很满意" });
                var refused = await api.IdentityChangeFormAsync();
                refused["idNumber"] = "110105194912310021";
                await api.PostCaseAsync(new { workflowId = "identity-change", form = refused });
                await host.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName = "13812345678", password = "11010519491231002X" });
            }

            var log = await File.ReadAllTextAsync(logFile);

            Assert.Contains(caseId.ToString(), log);
            Assert.Contains("Filed case", log);
            ObservedHost.AssertNotIn(log, PersonalData);
        }
        finally
        {
            File.Delete(logFile);
        }
    }

    [Fact]
    public async Task Request_log_lines_name_the_route_template_and_never_the_query_string_case_number_or_a_phone_in_the_path()
    {
        var logFile = Path.Combine(Path.GetTempPath(), $"onething-log-{Guid.NewGuid():N}.txt");
        var settings = new Dictionary<string, string?> { ["Logging:File"] = logFile, ["Logging:MinimumLevel"] = "Information" };
        string caseNumber;
        Guid caseId;
        try
        {
            await using (var host = new OneThingHost(await postgres.CreateDatabaseAsync(), settings))
            {
                var api = new ApiClient(host);
                var filed = await api.FileIdentityChangeAsync();
                (caseNumber, caseId) = (filed.CaseNumber, filed.Id);
                await api.GetCaseAsync(filed.Id);
                await host.CreateClient().GetAsync($"/api/public/cases/{filed.CaseNumber}?phoneLast4=5678");
                await host.CreateClient().GetAsync("/api/public/cases/13812345678/%E5%BC%A0%E5%B0%8F%E6%98%8E/extra?name=张小明");
            }

            var requests = (await File.ReadAllLinesAsync(logFile))
                .Select(line => JsonDocument.Parse(line).RootElement)
                .Where(entry => entry.GetProperty("MessageTemplate").GetString() == OneThing.Api.Extensions.RequestLogging.MessageTemplate)
                .Select(entry => entry.GetProperty("Properties"))
                .ToList();

            string Path(JsonElement properties) => properties.GetProperty("RequestPath").GetString()!;
            Assert.Contains(requests, r => r.GetProperty("RequestMethod").GetString() == "POST" && Path(r) == "/api/cases"
                && r.GetProperty("StatusCode").GetInt32() == 201);
            Assert.Contains(requests, r => Path(r) == "/api/cases/{id:guid}");
            Assert.Contains(requests, r => Path(r) == "/api/public/cases/{caseNumber}" && r.GetProperty("StatusCode").GetInt32() == 200);
            // Matches no endpoint (and is refused before it could): its path is logged with the suspicious segments starred.
            Assert.Contains(requests, r => Path(r) == "/api/public/cases/*/*/extra");
            var logged = string.Join("\n", requests.Select(r => r.GetRawText()));
            foreach (var value in new[] { "phoneLast4", caseNumber, caseId.ToString(), "13812345678", "张小明", "%E5" })
            {
                Assert.DoesNotContain(value, logged);
            }
        }
        finally
        {
            File.Delete(logFile);
        }
    }
}
