using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>
/// Thousands of malformed bodies against filing and decisions: every one must get a 4xx problem answer, never a
/// 500, and none may file a case or decide a task. The generator is seeded, so a failure reproduces.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class FuzzTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private const int FilingBodies = 2000;
    private const int DecisionBodies = 1000;

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private Dictionary<string, object?> _validForm = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
        // One upload for every body: none of them may file, so the upload stays unused and each body can name it.
        _validForm = await _api.IdentityChangeFormAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Malformed_filing_bodies_get_only_4xx_problem_answers_and_file_nothing()
    {
        var random = new Random(20261125);
        var bodies = Enumerable.Range(0, FilingBodies).Select(_ => MalformedFiling(random)).ToList();
        Assert.Contains(bodies, body => body.Kind == "wrong hasHousingFundAccount");
        var before = await CountRowsAsync();

        var failures = await SendAllAsync(_api.Http, bodies.Select(b => ("/api/cases", b)));

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task Malformed_decision_bodies_get_only_4xx_problem_answers_and_decide_nothing()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var random = new Random(1125);
        var requests = Enumerable.Range(0, DecisionBodies).Select(i => i % 2 == 0
            ? ($"/api/tasks/{task.Id}/approve", MalformedDecision(random, "comment", required: false))
            : ($"/api/tasks/{task.Id}/reject", MalformedDecision(random, "reason", required: true)));

        var failures = await SendAllAsync(_api.Reviewer("household-registration"), requests);

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        var after = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("running", after.Status);
        Assert.Equal("open", after.Steps.Single(s => s.StepId == "household").TaskState);
    }

    private static async Task<List<string>> SendAllAsync(HttpClient client, IEnumerable<(string Path, Body Body)> requests)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, cancellationToken) =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = new ByteArrayContent(request.Body.Bytes) };
            if (request.Body.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            using var response = await client.SendAsync(message, cancellationToken);
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (status is < 400 or >= 500 || mediaType != "application/problem+json")
            {
                failures.Add($"{status} {mediaType} for {request.Body.Kind}: {Preview(request.Body.Bytes)}");
            }
        });
        return failures.ToList();
    }

    private sealed record Body(string Kind, byte[] Bytes, string? ContentType = "application/json");

    private static Body Json(string kind, string text) => new(kind, Encoding.UTF8.GetBytes(text));

    // Chinese left unescaped, so the cases below can cut into it.
    private string ValidFiling => JsonSerializer.Serialize(new { workflowId = "identity-change", form = _validForm },
        new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static readonly string[] WrongValues =
        ["1", "-1e400", "true", "false", "null", "[]", "{}", "[1,2]", "{\"a\":1}", "\"\"", "\"   \"", "\"x\"", "0.5", "\"2026-02-30\"", "\"12345\"", "\"11010519491231002Y\""];

    private Body MalformedFiling(Random random)
    {
        var form = _validForm.ToDictionary(p => p.Key, p => JsonSerializer.Serialize(p.Value));
        var validFiling = ValidFiling;
        string FormJson() => "{" + string.Join(",", form.Select(p => $"\"{p.Key}\":{p.Value}")) + "}";

        switch (random.Next(12))
        {
            case 0:
                return Json("truncated", validFiling[..random.Next(1, validFiling.Length - 1)]);
            case 1:
                return new Body("random bytes", RandomBytes(random));
            case 2:
            {
                // Every field of this workflow is typed or required, so a wrong value in any of them is an error.
                var keys = form.Keys.ToList();
                var key = keys[random.Next(keys.Count)];
                form[key] = Pick(random, WrongValues.Where(v => !IsAcceptable(key, v)).ToArray());
                return Json($"wrong {key}", $$"""{"workflowId":"identity-change","form":{{FormJson()}}}""");
            }
            case 3:
                form[$"extra{random.Next(100)}"] = "\"value\"";
                return Json("unknown field", $$"""{"workflowId":"identity-change","form":{{FormJson()}}}""");
            case 4:
                return Json("bad workflowId", $$"""{"workflowId":{{Pick(random, ["1", "[]", "{}", "\"\"", "\"no-such\"", "null", "true"])}},"form":{{FormJson()}}}""");
            case 5:
            {
                var depth = random.Next(65, 400);
                var nested = new string('[', depth) + new string(']', depth);
                return Json("deep nesting", "{\"workflowId\":\"identity-change\",\"form\":{\"name\":" + nested + "}}");
            }
            case 6:
                return Json("not an object", Pick(random, ["[]", "\"case\"", "42", "null", "true", "[{\"workflowId\":\"identity-change\"}]"]));
            case 7:
            {
                var bytes = Encoding.UTF8.GetBytes(validFiling).ToList();
                bytes.InsertRange(validFiling.IndexOf("张", StringComparison.Ordinal) + 1, [0xC3, 0x28, 0xFF]);
                return new Body("invalid utf-8", bytes.ToArray());
            }
            case 8:
                return Json("form not an object", $$"""{"workflowId":"identity-change","form":{{Pick(random, ["[]", "\"form\"", "1", "null"])}}}""");
            case 9:
            {
                var character = Pick(random, ["\u0001", "\\u0000"]);
                return Json(character == "\u0001" ? "control character" : "escaped NUL", validFiling.Replace("张小明", $"张{character}小明", StringComparison.Ordinal));
            }
            case 10:
                return new Body("wrong content type", Encoding.UTF8.GetBytes(validFiling), Pick(random, ["text/plain", "application/xml", "application/x-www-form-urlencoded", null]));
            default:
                return Json("missing required", $$"""{"workflowId":"identity-change","form":{{FormJson().Replace("\"newName\"", "\"new_name\"", StringComparison.Ordinal)}}}""");
        }
    }

    private static Body MalformedDecision(Random random, string field, bool required)
    {
        switch (random.Next(8))
        {
            case 0:
            {
                var valid = $$"""{"{{field}}":"材料齐全"}""";
                return Json("truncated", valid[..random.Next(1, valid.Length - 1)]);
            }
            case 1:
            {
                // Random bytes that happen to be a valid decision would decide the task; the odds are nil, but make them zero.
                var bytes = RandomBytes(random);
                return IsJson(bytes) ? Json("wrong type", $$"""{"{{field}}":{{bytes.Length}}}""") : new Body("random bytes", bytes);
            }
            case 2:
                return Json($"wrong type of {field}", $$"""{"{{field}}":{{Pick(random, ["1", "true", "{}", "[]", "[\"x\"]", "1e400"])}}}""");
            case 3:
                return Json("too long", $$"""{"{{field}}":"{{new string('长', 2001 + random.Next(500))}}"}""");
            case 4:
                return Json("not an object", Pick(random, ["[]", "\"approve\"", "42", "true"]));
            case 5:
            {
                var depth = random.Next(65, 300);
                return Json("deep nesting", $$"""{"{{field}}":{{new string('[', depth)}}{{new string(']', depth)}}}""");
            }
            case 6:
                return new Body("invalid utf-8", [.. Encoding.UTF8.GetBytes($$"""{"{{field}}":"材"""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]);
            default:
                return required
                    ? Json("blank reason", $$"""{"{{field}}":{{Pick(random, ["\"\"", "\"   \"", "null"])}}}""")
                    : new Body("wrong content type", Encoding.UTF8.GetBytes($$"""{"{{field}}":"ok"}"""), Pick(random, ["text/plain", "application/xml"]));
        }
    }

    /// <summary>Values the form accepts for a field, which the wrong-value case must not pick.</summary>
    private static bool IsAcceptable(string key, string value) => (key, value) switch
    {
        ("hasSchoolAgeChild" or "ownsProperty" or "hasHousingFundAccount", "true" or "false") => true,
        // Null is "not given", which an optional field may be.
        ("hasHousingFundAccount", "null") => true,
        ("name" or "newName", "\"x\"" or "\"12345\"" or "\"2026-02-30\"" or "\"11010519491231002Y\"") => true,
        _ => false,
    };

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 300)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static bool IsJson(byte[] bytes)
    {
        try
        {
            using var _ = JsonDocument.Parse(bytes);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    private static string Preview(byte[] bytes) => Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 160)));
}
