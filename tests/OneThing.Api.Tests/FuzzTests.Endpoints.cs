using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>
/// Every operation of the OpenAPI document, so an endpoint added later is fuzzed too: garbage in each path parameter
/// and query parameter, and broken bodies for those that take one. Each request goes as a caller the endpoint lets
/// in, so the garbage reaches binding and validation instead of stopping at 403.
/// </summary>
public sealed partial class FuzzTests
{
    private const int PathAndQueryCases = 6000;
    private const int BodyCases = 3000;

    /// <summary>Tables a refused request must leave as they were (the audit log records reads and refusals by design).</summary>
    private static readonly string[] BusinessTables =
        ["cases", "case_events", "department_tasks", "outbox_messages", "timers", "case_ratings", "incident_reports", "notifications", "supplements", "accounts", "extension_requests", "attachments"];

    private static readonly string[] Garbage =
    [
        "\0", "a\0b", "张\0三", "%00", "", " ", "%", "%zz", "..", "../..", "<script>", "' OR 1=1 --", "😀", "张三", "\u202e", "\uFFFF",
        "2147483647", "2147483648", "-2147483649", "99999999999999999999999999", "1e400", "-0", "NaN", "Infinity", "0x10", "1.5",
        "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "-1-01-01", "2026-12-01T00:00:00+25:00",
        "10000-01-01", "yesterday", "00000000-0000-0000-0000-000000000000", "true", "null", "[]", "{}",
    ];

    /// <summary>The server refuses a NUL in the path before the application sees it (Kestrel with 400, the test server by throwing).</summary>
    private static readonly string[] PathGarbage = Garbage.Where(g => !g.Contains('\0', StringComparison.Ordinal) && g != "%00").ToArray();

    /// <summary>A filing as the clerk sends it, naming an upload nobody made: broken in one thing, it must still file nothing.</summary>
    private static readonly string TemplateFiling = JsonSerializer.Serialize(
        new { workflowId = "identity-change", form = ApiClient.IdentityChangeForm(Guid.Parse("0198c2a4-5b7e-7000-8000-000000000002")) });

    /// <summary>A body each operation would accept, for the cases that break one thing in it; others get generic garbage.</summary>
    private static readonly Dictionary<string, string> BodyTemplates = new()
    {
        ["POST /api/auth/login"] = """{"userName":"clerk","password":"not-the-password"}""",
        ["POST /api/auth/refresh"] = """{"refreshToken":"CfDJ8token"}""",
        ["POST /api/auth/password"] = """{"currentPassword":"not-the-password","newPassword":"Fuzz-Passw0rd-2026"}""",
        ["POST /api/accounts/{userName}/password"] = """{"newPassword":"Fuzz-Passw0rd-2026"}""",
        ["PUT /api/accounts/{userName}/role"] = """{"role":"reviewer","department":"tax","hall":null}""",
        ["POST /api/accounts"] = """{"userName":"fuzz.user","password":"Fuzz-Passw0rd-2026","role":"clerk","department":null}""",
        ["POST /api/public/cases/{caseNumber}/rating"] = """{"phoneLast4":"5678","score":5,"comment":"很好"}""",
        ["POST /api/cases"] = TemplateFiling,
        ["POST /api/cases/{id}/supplements"] =
            """{"form":{"name":"张三"},"attachments":[{"attachmentId":"0198c2a4-5b7e-7000-8000-000000000001"}],"note":"补充材料"}""",
        ["POST /api/cases/{id}/withdraw"] = """{"reason":"申请人自行撤回"}""",
        ["POST /api/cases/{id}/joined-departments"] = """{"department":"tax","reason":"涉及税务，需协同","sla":"2 workdays"}""",
        ["POST /api/events/{type}"] = """{"form":{"place":"幸福路 1 号","description":"消防通道被占"},"source":"sensor-1"}""",
        ["POST /api/tasks/{id}/approve"] = """{"comment":"同意","outcome":"approved","form":{"creditCode":"91350100M000100Y43"}}""",
        ["POST /api/tasks/{id}/reject"] = """{"reason":"材料不全"}""",
        ["POST /api/tasks/{id}/request-supplement"] = """{"message":"请补充材料"}""",
        ["POST /api/cases/{id}/urge"] = """{"message":"请加快办理"}""",
        ["POST /api/tasks/{id}/reassign"] = """{"assignee":"reviewer.household-registration"}""",
        ["POST /api/tasks/{id}/extension-requests"] = """{"workingDays":2,"reason":"需现场核查"}""",
        ["POST /api/supervision/extension-requests/{id}/approve"] = """{"workingDays":1,"reason":"同意延期"}""",
        ["POST /api/supervision/extension-requests/{id}/refuse"] = """{"reason":"可按期办结"}""",
        ["POST /api/admin/workflows/{id}/migrations/dry-run"] = """{"fromVersion":1,"toVersion":2,"stepMapping":{"household":"household"}}""",
        ["POST /api/admin/workflows/{id}/migrations"] = """{"fromVersion":1,"toVersion":2,"stepMapping":{"household":"household"},"caseIds":["0198c2a4-5b7e-7000-8000-000000000001"]}""",
    };

    [Fact]
    public async Task Garbage_in_every_path_and_query_parameter_gets_only_2xx_or_4xx_problem_answers_and_writes_nothing()
    {
        var known = await KnownIdsAsync();
        var operations = await OperationsAsync();
        var before = await CountRowsAsync();
        var random = new Random(20261201);

        var requests = Enumerable.Range(0, PathAndQueryCases).Select(i =>
        {
            var operation = operations[i % operations.Count];
            var path = FillPath(operation, random, known);
            var query = operation.QueryParameters.Where(_ => random.Next(10) < 6)
                .SelectMany(name => Enumerable.Repeat(name, random.Next(20) == 0 ? 500 : 1).Select(n => $"{n}={Uri.EscapeDataString(Pick(random, Garbage))}"))
                .Append(random.Next(5) == 0 ? $"unknown{random.Next(9)}={Uri.EscapeDataString(Pick(random, Garbage))}" : "")
                .Where(p => p.Length > 0);
            var url = path + "?" + string.Join("&", query);
            return new FuzzRequest(operation, url, Content: null, Pick(random, operation.Callers));
        }).ToList();

        var failures = await SendAllAsync(requests);

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task Broken_bodies_for_every_operation_that_takes_one_get_only_4xx_problem_answers_and_write_nothing()
    {
        var known = await KnownIdsAsync();
        var withBody = (await OperationsAsync()).Where(o => o.TakesBody).ToList();
        Assert.Contains(withBody, o => o.Key == "POST /api/cases/{id}/supplements");
        var before = await CountRowsAsync();
        var random = new Random(1201);

        var requests = Enumerable.Range(0, BodyCases).Select(i =>
        {
            var operation = withBody[i % withBody.Count];
            // Unknown ids in the path: binding and validation run before any lookup, so nothing could be written even by mistake.
            var path = FillPath(operation, random, known, unknownIds: true);
            return new FuzzRequest(operation, path, BrokenBody(random, BodyTemplates.GetValueOrDefault(operation.Key)), Pick(random, operation.Callers));
        }).ToList();

        var failures = await SendAllAsync(requests, allowSuccess: false);

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public void The_fuzz_tests_send_at_least_ten_thousand_seeded_requests() =>
        Assert.True(FilingBodies + DecisionBodies + PathAndQueryCases + BodyCases >= 10_000);

    private sealed record Operation(string Method, string Route, IReadOnlyList<string> PathParameters, IReadOnlyList<string> QueryParameters,
        bool TakesBody, HttpClient[] Callers)
    {
        public string Key => $"{Method} {Route}";
    }

    private sealed record FuzzRequest(Operation Operation, string Url, Body? Content, HttpClient Client);

    private sealed record KnownIds(Guid CaseId, string CaseNumber, Guid TaskId);

    private async Task<KnownIds> KnownIdsAsync()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        return new KnownIds(filed.Id, filed.CaseNumber, task.Id);
    }

    /// <summary>The document's operations, each with the callers that get past authorization (found by a request that cannot succeed).</summary>
    private async Task<List<Operation>> OperationsAsync()
    {
        var clients = new[] { Staff.Clerk, Staff.Reviewer("household-registration"), Staff.Supervisor, Staff.Admin, Staff.Reporter }
            .Select(_api.As).Append(_host.CreateClient()).ToArray();
        var document = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            // Signing out takes nothing to fuzz, and would end the fuzzing accounts' own tokens.
            foreach (var operation in path.Value.EnumerateObject().Where(o => $"{o.Name} {path.Name}" != "post /api/auth/logout"))
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
                string[] Named(string where) => parameters.Where(p => p.GetProperty("in").GetString() == where).Select(p => p.GetProperty("name").GetString()!).ToArray();
                var draft = new Operation(operation.Name.ToUpperInvariant(), path.Name, Named("path"), Named("query"),
                    operation.Value.TryGetProperty("requestBody", out _), clients);
                var callers = new List<HttpClient>();
                foreach (var client in clients)
                {
                    var probe = draft.Method == "GET" ? null : new Body("probe", "{"u8.ToArray());
                    using var answer = await SendAsync(client, draft.Method, FillPath(draft, new Random(0), new KnownIds(Guid.NewGuid(), "no-such", Guid.NewGuid()), unknownIds: true), probe);
                    if (answer.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                    {
                        callers.Add(client);
                    }
                }

                operations.Add(draft with { Callers = callers.Count > 0 ? [.. callers] : clients });
            }
        }

        Assert.Contains(operations, o => o.Key == "GET /api/audit" && o.QueryParameters.Contains("from"));
        return operations;
    }

    /// <summary>
    /// Path parameters: garbage, an unknown id, or for reads sometimes a real one, so that a query string reaches a real row;
    /// never a real id for a change, which a request without a body could make (claim a task).
    /// </summary>
    private static string FillPath(Operation operation, Random random, KnownIds known, bool unknownIds = false)
    {
        var path = operation.Route;
        foreach (var name in operation.PathParameters)
        {
            string? real = (operation.Method, name) switch
            {
                (_, "id") when unknownIds => Guid.NewGuid().ToString(),
                ("GET", "id") when random.Next(2) == 0 => known.CaseId.ToString(),
                (_, "id") when random.Next(2) == 0 => Guid.NewGuid().ToString(),
                ("GET", "caseNumber") when random.Next(2) == 0 => known.CaseNumber,
                ("GET", "code") when random.Next(2) == 0 => "household-registration",
                ("GET", "id") => "identity-change",
                _ => null,
            };
            path = path.Replace($"{{{name}}}", real ?? Uri.EscapeDataString(Pick(random, PathGarbage)), StringComparison.Ordinal);
        }

        return path;
    }

    private static Body BrokenBody(Random random, string? template)
    {
        var json = template ?? """{"text":"value"}""";
        switch (random.Next(template is null ? 4 : 9))
        {
            case 0:
                return Json("truncated", json[..random.Next(1, json.Length - 1)]);
            case 1:
            {
                var bytes = RandomBytes(random);
                return IsJson(bytes) ? Json("not an object", "42") : new Body("random bytes", bytes);
            }
            case 2:
                return Json("not an object", Pick(random, ["[]", "\"text\"", "42", "true", "[{}]"]));
            case 3:
                return new Body("wrong content type", Encoding.UTF8.GetBytes(json), Pick(random, ["text/plain", "application/xml", "multipart/form-data", null]));
            case 4:
                return Json("NUL in a string", ReplaceOneString(random, json, text => JsonSerializer.Serialize(text.Insert(random.Next(text.Length + 1), "\0"))));
            case 5:
                return Json("huge number for a string", ReplaceOneString(random, json, _ => Pick(random, ["1e400", "-1e400", "123456789012345678901234567890", "2147483648"])));
            case 6:
            {
                var depth = random.Next(65, 400);
                return Json("deep nesting", ReplaceOneString(random, json, _ => new string('[', depth) + new string(']', depth)));
            }
            case 7:
                return Json("huge array for a string", ReplaceOneString(random, json, _ => "[" + string.Join(",", Enumerable.Repeat("1", random.Next(1000, 20_000))) + "]"));
            default:
            {
                var text = ReplaceOneString(random, json, _ => "\"\u0001INVALID\u0001\"");
                var bytes = Encoding.UTF8.GetBytes(text).ToList();
                var at = text.IndexOf("\u0001INVALID\u0001", StringComparison.Ordinal);
                bytes.RemoveRange(at, "\u0001INVALID\u0001".Length);
                bytes.InsertRange(at, [0x41, 0xC3, 0x28, 0xFF]);
                return new Body("invalid utf-8", bytes.ToArray());
            }
        }
    }

    /// <summary>Replaces one string value anywhere in the JSON (not a property name) with the given raw JSON.</summary>
    private static string ReplaceOneString(Random random, string json, Func<string, string> replacement)
    {
        var root = JsonNode.Parse(json)!;
        var strings = Descendants(root).OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).ToList();
        var chosen = strings[random.Next(strings.Count)];
        var original = chosen.GetValue<string>();
        const string Marker = "\"__fuzz_marker__\"";
        chosen.ReplaceWith(JsonValue.Create("__fuzz_marker__"));
        return root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .Replace(Marker, replacement(original), StringComparison.Ordinal);
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Descendants),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Descendants),
        _ => [node],
    };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url, Body? body, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body.Bytes);
            if (body.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        return await client.SendAsync(message, cancellationToken);
    }

    private static async Task<List<string>> SendAllAsync(IReadOnlyList<FuzzRequest> requests, bool allowSuccess = true)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, cancellationToken) =>
        {
            using var response = await SendAsync(request.Client, request.Operation.Method, request.Url, request.Content, cancellationToken);
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var legitimate = (allowSuccess && status is >= 200 and < 300) || (status is >= 400 and < 500 && mediaType == "application/problem+json");
            if (!legitimate)
            {
                var body = request.Content is { } content ? $"{content.Kind}: {Preview(content.Bytes)}" : "";
                failures.Add($"{status} {mediaType} for {request.Operation.Method} {request.Url[..Math.Min(request.Url.Length, 200)]} {body}");
            }
        });
        return failures.ToList();
    }

    /// <summary>Row counts once the work the filed case set off has finished (two reads a moment apart agree).</summary>
    private async Task<string> CountRowsAsync()
    {
        var counts = await ReadCountsAsync();
        while (true)
        {
            await Task.Delay(300);
            var again = await ReadCountsAsync();
            if (again == counts)
            {
                return counts;
            }

            counts = again;
        }
    }

    private async Task<string> ReadCountsAsync()
    {
        await using var connection = new NpgsqlConnection(_host.ConnectionString);
        await connection.OpenAsync();
        var counts = new List<string>();
        foreach (var table in BusinessTables)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            counts.Add($"{table}: {await command.ExecuteScalarAsync()}");
        }

        await using var tasks = new NpgsqlCommand(
            "SELECT coalesce(string_agg(state || '/' || coalesce(assignee, '-'), ', ' ORDER BY id), '') FROM department_tasks", connection);
        counts.Add($"tasks: {await tasks.ExecuteScalarAsync()}");
        return string.Join("; ", counts);
    }
}
