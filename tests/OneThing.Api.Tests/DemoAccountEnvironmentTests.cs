using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>Demo accounts, whose password is in the README, exist only in Development and Testing; a real database is never made up.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class DemoAccountEnvironmentTests(PostgresServer postgres)
{
    private const string RealPassword = "Real-Password-for-2026!";

    [Fact]
    public async Task Asking_for_demo_accounts_in_production_stops_the_start_with_a_clear_message()
    {
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync());
        await using var production = host.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));

        var refusal = Assert.ThrowsAny<Exception>(() => production.CreateClient());

        Assert.Contains("Accounts:SeedDemoAccounts=true is refused in the 'Production' environment", StartRefusal.Of(refusal));
    }

    [Fact]
    public async Task Demo_accounts_left_in_a_database_are_disabled_when_it_is_started_in_production_and_real_accounts_keep_working()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using (var demo = new OneThingHost(database))
        {
            var created = await new ApiClient(demo).As(Staff.Admin).PostAsJsonAsync("/api/accounts",
                new { userName = "wang.clerk", password = RealPassword, role = "clerk" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await using var host = new OneThingHost(database, new Dictionary<string, string?> { ["Accounts:SeedDemoAccounts"] = "false" });
        await using var production = host.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));
        var client = production.CreateClient();

        var demoClerk = await client.PostAsJsonAsync("/api/auth/login", new { userName = Staff.Clerk, password = Staff.DemoPassword });
        var demoAdmin = await client.PostAsJsonAsync("/api/auth/login", new { userName = Staff.Admin, password = Staff.DemoPassword });
        var realClerk = await client.PostAsJsonAsync("/api/auth/login", new { userName = "wang.clerk", password = RealPassword });

        Assert.Equal(HttpStatusCode.Unauthorized, demoClerk.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, demoAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, realClerk.StatusCode);
        var disabled = await host.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == "demo-account-disabled").Select(e => e.TargetId!).ToListAsync());
        Assert.Contains(Staff.Clerk, disabled);
        Assert.Contains(Staff.Admin, disabled);
        Assert.DoesNotContain("wang.clerk", disabled);
    }

    [Fact]
    public async Task Without_a_connection_string_the_service_stops_outside_development_instead_of_starting_a_database_of_its_own()
    {
        await using var host = new OneThingHost("", new Dictionary<string, string?>
        {
            ["ConnectionStrings:OneThing"] = "",
            ["EmbeddedPostgres:Directory"] = Path.Combine(Path.GetTempPath(), $"onething-never-started-{Guid.NewGuid():N}"),
        });

        var refusal = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("ConnectionStrings:OneThing is not set. Outside Development the service needs PostgreSQL", StartRefusal.Of(refusal));
        Assert.Contains("EmbeddedPostgres__Enabled=true", StartRefusal.Of(refusal));
    }
}
