using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Bench.Infrastructure.Processes;
using Xunit.Abstractions;

namespace OneThing.Api.Tests.Scaling;

/// <summary>
/// The scaled-out service as an operator runs it: two API nodes, two workers and the department adapter as separate
/// processes on one PostgreSQL and one RabbitMQ. While clerks file and reviewers decide over HTTP, workers and API
/// nodes are killed again and again, RabbitMQ and PostgreSQL are restarted; afterwards every case has completed,
/// exactly once, and every notification arrived.
/// </summary>
[Collection(ScalingCollection.Name)]
public sealed class CrashRecoveryTests(RabbitMqServer broker, ITestOutputHelper output)
{
    private const int IdentityChanges = 270;
    private const int WaterAlerts = 30;
    private const int Cases = IdentityChanges + WaterAlerts;

    private static readonly string[] Reviewers = ["household-registration", "social-security", "medical-insurance", "yongjiang-waicao-01"];

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Every_case_completes_once_through_killed_workers_and_api_nodes_and_restarts_of_RabbitMQ_and_PostgreSQL()
    {
        await using var database = new RestartablePostgres();
        await database.StartAsync();
        var shared = new Dictionary<string, string?>
        {
            ["ConnectionStrings__OneThing"] = database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = broker.AmqpUri.ToString(),
            ["Processing__AcknowledgeTimeout"] = "00:00:05",
            ["Processing__AnswerTimeout"] = "00:00:10",
            ["Processing__ResendCheckInterval"] = "00:00:01",
            ["Processing__RedeliveryTimeout"] = "00:00:10",
            ["Logging__MinimumLevel"] = "Warning",
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        };
        var apiSettings = new Dictionary<string, string?>(shared) { ["Hosting__Role"] = "api", ["ASPNETCORE_ENVIRONMENT"] = "Testing", ["Accounts__SeedDemoAccounts"] = "true" };
        await using var api1 = new ServiceProcess("OneThing.Api", apiSettings, "api-1");
        await using var api2 = new ServiceProcess("OneThing.Api", apiSettings, "api-2");
        await using var worker1 = new ServiceProcess("OneThing.Worker", shared, "worker-1");
        await using var worker2 = new ServiceProcess("OneThing.Worker", shared, "worker-2");
        await using var adapter = new ServiceProcess("OneThing.DepartmentAdapter", new Dictionary<string, string?>
        {
            ["ConnectionStrings__RabbitMq"] = broker.AmqpUri.ToString(),
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        }, "department-adapter");
        ServiceProcess[] everyProcess = [api1, api2, worker1, worker2, adapter];

        await ServiceProcess.KeepingLogsOnFailureAsync(everyProcess, async () =>
        {
            // Started together, as after a deployment: the migrations and the first key ring are made once.
            foreach (var process in everyProcess)
            {
                await process.StartAsync();
            }

            foreach (var process in everyProcess)
            {
                await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            }

            Log("five processes ready");

            using var cluster = new ClusterClient([api1.BaseAddress, api2.BaseAddress]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            using var reviewersStop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            var decisions = new Counter();
            var filed = new ConcurrentDictionary<int, string>();
            await EnrolWaterMetersAsync(cluster);

            var reviewing = Reviewers.Select(department => ReviewAsync(cluster, department, decisions, reviewersStop.Token)).ToList();
            var filing = FileAsync(cluster, filed, timeout.Token);
            var faults = await InjectFaultsAsync(filed, filing, database, api1, api2, worker1, worker2, adapter, timeout.Token);
            await filing;
            Log($"all {filed.Count} cases filed");

            var completed = await Eventually.MatchAsync(() => CrashVerdict.CountAsync(database, "SELECT count(*) FROM cases WHERE status = 'completed'"),
                count => count == Cases, $"all {Cases} cases to complete", TimeSpan.FromMinutes(5));
            Log("all cases completed");
            await reviewersStop.CancelAsync();
            await Task.WhenAll(reviewing.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));

            var notifications = await Eventually.MatchAsync(
                () => CrashVerdict.CountAsync(database, "SELECT count(*) FROM notifications WHERE delivered_at IS NOT NULL"),
                count => count == 2 * WaterAlerts, "every notification to be delivered", TimeSpan.FromMinutes(2));
            var verdict = await CrashVerdict.ReadAsync(database);
            var errorQueues = await CrashVerdict.CountErrorQueuesAsync(broker);
            foreach (var process in everyProcess)
            {
                Assert.True(await process.IsReadyAsync(), $"{process.Name} is not ready after the faults");
            }

            var summary = $"""
                cases filed: {filed.Count} ({IdentityChanges} identity changes, {WaterAlerts} water-meter alerts); cases in the database: {verdict.Cases}
                faults: {faults.WorkerKills} worker kills, {faults.ApiKills} API node kills, {faults.BrokerRestarts} RabbitMQ restart, {faults.DatabaseRestarts} PostgreSQL restart
                not ready while down: {string.Join(", ", faults.SeenUnready)}
                cases completed: {completed}; decisions over HTTP: {decisions.Value}; requests sent again after a node was down: {cluster.Retried}; 500 answers: {cluster.ServerErrors}
                tasks: {verdict.Tasks}; tasks existing twice: {verdict.DuplicateTasks}; tasks received twice: {verdict.DuplicateReceipts}; cases completed twice: {verdict.DuplicateCompletions}
                notifications delivered: {notifications} of {verdict.Notifications}; lost: {verdict.Notifications - notifications}
                outbox rows not published: {verdict.Unpublished}; re-sends of unacknowledged or unanswered tasks: {verdict.Redispatches}
                messages in _error queues: {errorQueues}
                """;
            output.WriteLine(summary);
            // Passing tests' output is not shown by dotnet test; CI prints this file after the run.
            var artifacts = Directory.CreateDirectory(Path.Combine(BuiltProjects.RepositoryRoot, "artifacts"));
            await File.WriteAllTextAsync(Path.Combine(artifacts.FullName, "crash-recovery.txt"), summary);
            Assert.Equal(Cases, filed.Count);
            Assert.Equal(Cases, verdict.Cases);
            Assert.Equal(0, verdict.DuplicateTasks);
            Assert.Equal(0, verdict.DuplicateReceipts);
            Assert.Equal(0, verdict.DuplicateCompletions);
            Assert.Equal(2 * WaterAlerts, verdict.Notifications);
            Assert.Equal(0, verdict.Unpublished);
            Assert.Equal(0, cluster.ServerErrors);
        });
    }

    private async Task FileAsync(ClusterClient cluster, ConcurrentDictionary<int, string> filed, CancellationToken cancellationToken)
    {
        // Three clerks at a steady pace, so that filing goes on through the faults rather than finishing before them.
        await Parallel.ForEachAsync(Enumerable.Range(0, Cases), new ParallelOptions { MaxDegreeOfParallelism = 3, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var water = i % (Cases / WaterAlerts) == 0;
                using var response = water
                    ? await cluster.PostAsync(Staff.Reporter, "/api/events/water-meter-alert", new { source = "meter-gateway", form = WaterAlert(i) },
                        idempotencyKey: $"crash-test-alert-{i}", token)
                    : await cluster.PostAsync(Staff.Clerk, "/api/cases", new { workflowId = "identity-change", form = await IdentityChangeAsync(cluster, token) },
                        idempotencyKey: $"crash-test-case-{i}", token);
                Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK,
                    $"filing {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
                // A reporter is answered only the case number and status; a clerk gets the case.
                filed[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("caseNumber").GetString()!;
                await Task.Delay(TimeSpan.FromMilliseconds(400), token);
            });
    }

    /// <summary>A reviewer of one department approving whatever is in the inbox, until told to stop.</summary>
    private static async Task ReviewAsync(ClusterClient cluster, string department, Counter decisions, CancellationToken cancellationToken)
    {
        var reviewer = Staff.Reviewer(department);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var inbox = await cluster.GetJsonAsync(reviewer, $"/api/departments/{department}/tasks", cancellationToken);
                foreach (var task in inbox.GetProperty("items").EnumerateArray())
                {
                    var body = department == "yongjiang-waicao-01"
                        ? (object)new { comment = "已上门，老人平安", outcome = "safe" }
                        : new { comment = "材料齐全，同意" };
                    using var response = await cluster.PostAsync(reviewer, $"/api/tasks/{task.GetProperty("id").GetGuid()}/approve", body,
                        cancellationToken: cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        decisions.Increment();
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                // A node answered something other than the inbox (a restart mid-answer); the next round asks again.
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private sealed record Faults(int WorkerKills, int ApiKills, int BrokerRestarts, int DatabaseRestarts, IReadOnlyList<string> SeenUnready);

    /// <summary>Kills a worker and an API node in turn, four times, with a RabbitMQ and a PostgreSQL restart between rounds.</summary>
    private async Task<Faults> InjectFaultsAsync(ConcurrentDictionary<int, string> filed, Task filing, RestartablePostgres database,
        ServiceProcess api1, ServiceProcess api2, ServiceProcess worker1, ServiceProcess worker2, ServiceProcess adapter,
        CancellationToken cancellationToken)
    {
        ServiceProcess[] everyProcess = [api1, api2, worker1, worker2, adapter];
        var unready = new List<string>();
        var workerKills = 0;
        var apiKills = 0;
        var round = 0;
        foreach (var (worker, api) in new[] { (worker1, api1), (worker2, api2), (worker1, api2), (worker2, api1) })
        {
            await Eventually.MatchAsync(async () =>
                {
                    if (filing.IsFaulted)
                    {
                        // The clerks' own failure says more than waiting for them would.
                        await filing;
                    }

                    return filed.Count;
                }, count => count >= 20 + 60 * round || filing.IsCompleted, "more cases to be filed", TimeSpan.FromMinutes(2));
            worker.Kill();
            workerKills++;
            Log($"killed {worker.Name} with {filed.Count} cases filed");
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            await worker.RestartAsync(TimeSpan.FromSeconds(90));
            Log($"{worker.Name} back");

            api.Kill();
            apiKills++;
            Log($"killed {api.Name} with {filed.Count} cases filed");
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            await api.RestartAsync(TimeSpan.FromSeconds(90));
            Log($"{api.Name} back");

            switch (++round)
            {
                case 1:
                    await RestartBrokerAsync(filed, [worker1, worker2, adapter], unready, cancellationToken);
                    // The API nodes do not use the broker: they kept taking cases, whose messages waited in the outbox.
                    Assert.True(await api1.IsReadyAsync() && await api2.IsReadyAsync(), "an API node went unready because of RabbitMQ");
                    await WaitUntilAllReadyAsync(everyProcess);
                    Log("RabbitMQ back, every process ready again by itself");
                    break;
                case 2:
                    await RestartDatabaseAsync(filed, database, everyProcess, unready, cancellationToken);
                    await WaitUntilAllReadyAsync(everyProcess);
                    Log("PostgreSQL back, every process ready again by itself");
                    break;
            }
        }

        return new Faults(workerKills, apiKills, 1, 1, unready);
    }

    private async Task RestartBrokerAsync(ConcurrentDictionary<int, string> filed, ServiceProcess[] brokerUsers, List<string> unready,
        CancellationToken cancellationToken)
    {
        await broker.StopAsync();
        try
        {
            Log($"RabbitMQ stopped with {filed.Count} cases filed");
            foreach (var process in brokerUsers)
            {
                await WaitUntilUnreadyAsync(process, "RabbitMQ");
                unready.Add($"{process.Name} (RabbitMQ down)");
            }

            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        }
        finally
        {
            await broker.StartAsync(cancellationToken);
        }
    }

    private async Task RestartDatabaseAsync(ConcurrentDictionary<int, string> filed, RestartablePostgres database, ServiceProcess[] everyProcess,
        List<string> unready, CancellationToken cancellationToken)
    {
        await database.StopAsync(cancellationToken: cancellationToken);
        try
        {
            Log($"PostgreSQL stopped with {filed.Count} cases filed");
            foreach (var process in everyProcess.Where(p => p.Name.StartsWith("api", StringComparison.Ordinal) || p.Name.StartsWith("worker", StringComparison.Ordinal)))
            {
                await WaitUntilUnreadyAsync(process, "PostgreSQL");
                unready.Add($"{process.Name} (PostgreSQL down)");
            }

            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        }
        finally
        {
            await database.StartAsync(cancellationToken);
        }
    }

    private static async Task WaitUntilUnreadyAsync(ServiceProcess process, string dependency) =>
        await Eventually.MatchAsync(process.IsReadyAsync, ready => !ready, $"{process.Name} to report not ready while {dependency} is down",
            TimeSpan.FromSeconds(30));

    private static async Task WaitUntilAllReadyAsync(IEnumerable<ServiceProcess> processes)
    {
        foreach (var process in processes)
        {
            await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        }
    }

    /// <summary>The clerk uploads the photographed application form, then the form that names it; both through the faults.</summary>
    private static async Task<Dictionary<string, object?>> IdentityChangeAsync(ClusterClient cluster, CancellationToken cancellationToken)
    {
        using var upload = await cluster.UploadAsync(Staff.Clerk, ApiClient.ApplicationFormPhotoName, "image/jpeg", ApiClient.ApplicationFormPhoto(), cancellationToken);
        Assert.True(upload.StatusCode == HttpStatusCode.Created, $"upload: {(int)upload.StatusCode} {await upload.Content.ReadAsStringAsync(cancellationToken)}");
        var attachmentId = (await upload.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("attachmentId").GetGuid();
        return ApiClient.IdentityChangeForm(attachmentId, hasSchoolAgeChild: false, ownsProperty: false);
    }

    /// <summary>A water meter's alert names only the meter: civil affairs enrols every meter the test will report before the faults begin.</summary>
    private static async Task EnrolWaterMetersAsync(ClusterClient cluster)
    {
        foreach (var i in Enumerable.Range(0, Cases).Where(i => i % (Cases / WaterAlerts) == 0))
        {
            using var enrolled = await cluster.PostAsync(Staff.Admin, "/api/elder-register", new
            {
                meterId = $"WM-330205-{i:D5}", name = "洪阿婆", address = $"江北区甬江街道外漕村{i}号", grid = ApiClient.WaterMeterGrid, familyPhone = "13512345678",
            });
            Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        }
    }

    private static object WaterAlert(int i) => ApiClient.WaterAlert($"WM-330205-{i:D5}");

    private void Log(string what) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {what}");

    private sealed class Counter
    {
        private int _value;

        public int Value => _value;

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
