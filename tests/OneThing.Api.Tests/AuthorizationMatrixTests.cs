using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>
/// Every endpoint against every role: allowed roles get past authorization (any answer but 401 and 403), the others
/// are refused. An endpoint that is not in the matrix fails the test, so new endpoints cannot slip through unreviewed.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class AuthorizationMatrixTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private const string Anonymous = "anonymous";
    private const string Clerk = Staff.Clerk;
    private const string Reviewer = "reviewer";
    private const string Supervisor = Staff.Supervisor;
    private const string Admin = Staff.Admin;
    private const string Reporter = Staff.Reporter;

    private static readonly string[] Everyone = [Anonymous, Clerk, Reviewer, Supervisor, Admin, Reporter];
    private static readonly string[] SignedIn = [Clerk, Reviewer, Supervisor, Admin, Reporter];

    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Row(string Method, string Route, string[] Allowed, Func<Ids, string> Path, object? Body = null);

    private sealed record Ids(Guid CaseId, string CaseNumber, Guid TaskId);

    /// <summary>The reviewer in the matrix belongs to the department of the task used, household registration.</summary>
    private static readonly Row[] Matrix =
    [
        // Health checks answer any method ("*"); the walk uses GET.
        new("*", "/health/live", Everyone, _ => "/health/live"),
        new("*", "/health/ready", Everyone, _ => "/health/ready"),
        // Counts and durations by workflow, department, decision and route template: no personal data, like the health checks.
        new("*", "/metrics", Everyone, _ => "/metrics"),
        new("GET", "/openapi/{documentName}.json", Everyone, _ => "/openapi/v1.json"),
        new("POST", "/api/auth/login", Everyone, _ => "/api/auth/login", new { }),
        new("POST", "/api/auth/refresh", Everyone, _ => "/api/auth/refresh", new { }),
        new("GET", "/api/auth/me", SignedIn, _ => "/api/auth/me"),
        new("GET", "/api/auth/antiforgery", SignedIn, _ => "/api/auth/antiforgery"),
        new("POST", "/api/auth/password", SignedIn, _ => "/api/auth/password", new { }),
        new("GET", "/api/accounts", [Admin], _ => "/api/accounts"),
        new("POST", "/api/accounts", [Admin], _ => "/api/accounts", new { }),
        new("POST", "/api/accounts/{userName}/unlock", [Admin], _ => "/api/accounts/nobody/unlock"),
        new("POST", "/api/accounts/{userName}/password", [Admin], _ => "/api/accounts/nobody/password", new { }),
        new("POST", "/api/accounts/{userName}/disable", [Admin], _ => "/api/accounts/nobody/disable"),
        new("POST", "/api/accounts/{userName}/enable", [Admin], _ => "/api/accounts/nobody/enable"),
        new("PUT", "/api/accounts/{userName}/role", [Admin], _ => "/api/accounts/nobody/role", new { }),
        new("GET", "/api/audit", [Supervisor, Admin], _ => "/api/audit"),
        new("GET", "/api/public/cases/{caseNumber}", Everyone, ids => $"/api/public/cases/{ids.CaseNumber}?phoneLast4=5678"),
        new("POST", "/api/public/cases/{caseNumber}/rating", Everyone, ids => $"/api/public/cases/{ids.CaseNumber}/rating", new { }),
        new("POST", "/api/cases", [Clerk], _ => "/api/cases", new { }),
        new("GET", "/api/cases/{id:guid}", [Clerk, Supervisor], ids => $"/api/cases/{ids.CaseId}"),
        new("GET", "/api/cases", [Clerk, Supervisor], _ => "/api/cases"),
        new("POST", "/api/cases/{id:guid}/supplements", [Clerk], ids => $"/api/cases/{ids.CaseId}/supplements", new { }),
        new("POST", "/api/cases/{id:guid}/withdraw", [Clerk], ids => $"/api/cases/{ids.CaseId}/withdraw", new { }),
        new("POST", "/api/cases/{id:guid}/joined-departments", [Reviewer, Supervisor], ids => $"/api/cases/{ids.CaseId}/joined-departments", new { }),
        new("POST", "/api/attachments", [Clerk], _ => "/api/attachments", new { }),
        new("GET", "/api/cases/{caseId:guid}/attachments/{attachmentId:guid}", [Clerk, Reviewer, Supervisor],
            ids => $"/api/cases/{ids.CaseId}/attachments/{Guid.NewGuid()}"),
        new("POST", "/api/events/{type}", [Clerk, Supervisor, Reporter], _ => "/api/events/fire-lane-blocked", new { }),
        new("GET", "/api/incidents", [Supervisor], _ => "/api/incidents"),
        // Civil affairs' register of enrolled elders: admins, and reviewers of civil affairs (not the matrix's household-registration reviewer).
        new("GET", "/api/elder-register", [Admin], _ => "/api/elder-register"),
        new("GET", "/api/elder-register/{meterId}", [Admin], _ => "/api/elder-register/WM-NONE"),
        new("POST", "/api/elder-register", [Admin], _ => "/api/elder-register", new { }),
        new("PUT", "/api/elder-register/{meterId}", [Admin], _ => "/api/elder-register/WM-NONE", new { }),
        new("POST", "/api/elder-register/{meterId}/end", [Admin], _ => "/api/elder-register/WM-NONE/end", new { }),
        new("GET", "/api/departments/{code}/tasks", [Reviewer, Supervisor], _ => "/api/departments/household-registration/tasks"),
        new("POST", "/api/tasks/{id:guid}/claim", [Reviewer], ids => $"/api/tasks/{ids.TaskId}/claim"),
        new("POST", "/api/tasks/{id:guid}/approve", [Reviewer], ids => $"/api/tasks/{ids.TaskId}/approve", new { comment = new string('x', 3000) }),
        new("POST", "/api/tasks/{id:guid}/reject", [Reviewer], ids => $"/api/tasks/{ids.TaskId}/reject", new { reason = "" }),
        new("POST", "/api/tasks/{id:guid}/request-supplement", [Reviewer], ids => $"/api/tasks/{ids.TaskId}/request-supplement", new { }),
        new("GET", "/api/workflows", SignedIn, _ => "/api/workflows"),
        new("GET", "/api/workflows/{id}", SignedIn, _ => "/api/workflows/identity-change"),
        new("GET", "/api/workflows/{id}/versions", SignedIn, _ => "/api/workflows/identity-change/versions"),
        new("GET", "/api/departments", SignedIn, _ => "/api/departments"),
        new("GET", "/api/units", SignedIn, _ => "/api/units"),
        new("GET", "/api/supervision/overview", [Supervisor], _ => "/api/supervision/overview"),
        new("GET", "/api/supervision/breaches", [Supervisor], _ => "/api/supervision/breaches"),
        new("GET", "/api/supervision/departments", [Supervisor], _ => "/api/supervision/departments"),
        new("GET", "/api/supervision/notifications", [Supervisor], _ => "/api/supervision/notifications"),
        new("GET", "/api/supervision/timers", [Supervisor], _ => "/api/supervision/timers"),
        new("GET", "/api/supervision/screen", [Supervisor], _ => "/api/supervision/screen"),
        new("GET", "/api/supervision/ratings", [Supervisor], _ => "/api/supervision/ratings"),
        new("POST", "/api/cases/{id:guid}/urge", [Supervisor], ids => $"/api/cases/{ids.CaseId}/urge", new { }),
        new("POST", "/api/tasks/{id:guid}/reassign", [Supervisor], ids => $"/api/tasks/{ids.TaskId}/reassign", new { }),
        new("POST", "/api/tasks/{id:guid}/extension-requests", [Reviewer], ids => $"/api/tasks/{ids.TaskId}/extension-requests", new { }),
        new("GET", "/api/supervision/extension-requests", [Supervisor], _ => "/api/supervision/extension-requests"),
        new("POST", "/api/admin/workflows/{id}/migrations/dry-run", [Admin], _ => "/api/admin/workflows/identity-change/migrations/dry-run", new { }),
        new("POST", "/api/admin/workflows/{id}/migrations", [Admin], _ => "/api/admin/workflows/identity-change/migrations", new { }),
        new("POST", "/api/supervision/extension-requests/{id:guid}/approve", [Supervisor], _ => $"/api/supervision/extension-requests/{Guid.Empty}/approve", new { }),
        new("POST", "/api/supervision/extension-requests/{id:guid}/refuse", [Supervisor], _ => $"/api/supervision/extension-requests/{Guid.Empty}/refuse", new { }),
        // Last: signing out ends every session and token of the account, the walk's own included.
        new("POST", "/api/auth/logout", SignedIn, _ => "/api/auth/logout"),
    ];

    [Fact]
    public void Every_endpoint_of_the_service_is_in_the_matrix()
    {
        // The API's endpoints; the web UI's pages, files and sign-in form are checked by the browser tests.
        var endpoints = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route && (route.StartsWith("/api/", StringComparison.Ordinal)
                || route.StartsWith("/openapi/", StringComparison.Ordinal) || route.StartsWith("/health/", StringComparison.Ordinal)
                || route == "/metrics"))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {Normalise(e.RoutePattern.RawText)}"))
            .ToHashSet();
        var inMatrix = Matrix.Select(r => $"{r.Method} {r.Route}").ToHashSet();

        Assert.Empty(endpoints.Except(inMatrix));
        Assert.Empty(inMatrix.Except(endpoints));
    }

    [Fact]
    public async Task Each_role_reaches_exactly_the_endpoints_the_matrix_allows_it()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var ids = new Ids(filed.Id, filed.CaseNumber, task.Id);
        var clients = new Dictionary<string, HttpClient>
        {
            [Anonymous] = _host.CreateClient(),
            [Clerk] = await _host.ClientForAsync(Staff.Clerk),
            [Reviewer] = await _host.ClientForAsync(Staff.Reviewer("household-registration")),
            [Supervisor] = await _host.ClientForAsync(Staff.Supervisor),
            [Admin] = await _host.ClientForAsync(Staff.Admin),
            [Reporter] = await _host.ClientForAsync(Staff.Reporter),
        };

        var wrong = new List<string>();
        foreach (var row in Matrix)
        {
            foreach (var (role, client) in clients)
            {
                var request = new HttpRequestMessage(new HttpMethod(row.Method == "*" ? "GET" : row.Method), row.Path(ids));
                if (row.Body is not null)
                {
                    request.Content = JsonContent.Create(row.Body);
                }

                var status = (await client.SendAsync(request)).StatusCode;
                var allowed = row.Allowed.Contains(role);
                var expected = allowed ? "not 401/403" : role == Anonymous ? "401" : "403";
                var ok = allowed
                    ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    : status == (role == Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
                if (!ok)
                {
                    wrong.Add($"{role} {row.Method} {row.Route}: {(int)status}, expected {expected}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task Refusals_are_problem_answers()
    {
        var anonymous = await _host.CreateClient().GetAsync("/api/cases");
        var forbidden = await (await _host.ClientForAsync(Staff.Reviewer("education"))).GetAsync("/api/cases");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await ApiClient.ProblemAsync(anonymous);
        await ApiClient.ProblemAsync(forbidden);
    }

    [Fact]
    public async Task Swagger_ui_is_open_without_signing_in()
    {
        var response = await _host.CreateClient().GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Normalise(string? route) => "/" + (route ?? "").Trim('/');
}
