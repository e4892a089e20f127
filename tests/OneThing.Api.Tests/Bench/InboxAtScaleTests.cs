using OneThing.Api.DepartmentTasks;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Bench.Inbox;
using OneThing.Bench.Infrastructure;
using OneThing.Bench.Sweep;

namespace OneThing.Api.Tests.Bench;

/// <summary>A department inbox holding more tasks than the count reaches, loaded as the inbox benchmark loads it.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class InboxAtScaleTests(PostgresServer postgres)
{
    private const int OpenTasks = DepartmentTaskPage.CountLimit + 120;
    private const int DueTasks = 30;

    [Fact]
    public async Task Past_the_count_limit_a_page_says_that_more_tasks_match_and_the_red_filter_still_counts_exactly()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using (var services = BenchServices.Build(connectionString))
        {
            await BenchServices.PrepareDatabaseAsync(services.Services, CancellationToken.None);
            await new OpenTaskLoader(services.Services).LoadAsync(OpenTasks, DueTasks, CancellationToken.None);
        }

        await using var host = new OneThingHost(connectionString);
        var reviewer = await host.ClientForAsync(Staff.Reviewer(InboxBenchmark.Department));

        var first = await ApiClient.InboxPageAsync(reviewer, InboxBenchmark.Department, "page=1&pageSize=50");
        var red = await ApiClient.InboxPageAsync(reviewer, InboxBenchmark.Department, "light=red&page=1&pageSize=50");
        var far = await ApiClient.InboxPageAsync(reviewer, InboxBenchmark.Department, $"page={OpenTasks / 50 + 1}&pageSize=50");

        Assert.Equal((DepartmentTaskPage.CountLimit, true), (first.Total, first.TotalCapped));
        Assert.Equal(50, first.Items.Count);
        Assert.Equal((DueTasks, false), (red.Total, red.TotalCapped));
        Assert.All(red.Items, task => Assert.Equal("red", task.Deadline.Light));
        Assert.Equal(first.Items.Take(DueTasks).Select(t => t.Id), red.Items.Select(t => t.Id));
        // Beyond the count, pages still reach the last task: the limit is on counting, not on what a reviewer can open.
        Assert.Equal(OpenTasks % 50, far.Items.Count);
    }
}
