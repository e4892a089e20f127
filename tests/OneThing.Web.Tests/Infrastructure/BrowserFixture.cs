using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Processing.Accounts;
using OneThing.Processing.Attachments;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;

namespace OneThing.Web.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL, one host and one Chromium for all browser tests (starting them is the slow part); each test gets a
/// fresh browser context and empty tables.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    /// <summary>A Monday in office hours, far from holidays.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, BeijingOffset);

    private const string ChromiumPath = "/usr/bin/chromium";
    private readonly PostgresServer _postgres = new();
    private IPlaywright? _playwright;

    public TestClock Clock { get; } = new(Start);
    public BrowserHost Host { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is missing at {ChromiumPath}: install it with `apt-get install -y chromium` (.ci/run does).");
        }

        await _postgres.InitializeAsync();
        Host = new BrowserHost(await _postgres.CreateDatabaseAsync(), Clock);
        Host.Start();
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }

    /// <summary>
    /// The data as start-up left it (<see cref="StartUpData"/>) and the clock back at <see cref="Start"/>, so tests do not
    /// see each other's cases, uploads, audit rows or accounts. The kept sign-ins stay valid: the accounts come back with
    /// their start-up security stamps.
    /// </summary>
    public async Task ResetAsync()
    {
        Clock.Set(Start);
        await StartUpData.RestoreAsync(Host.Services);
        // The reset empties the audit log too: a test that reads its own sign-in there must sign in, not reuse a cookie.
        _signedIn.Clear();
    }

    private readonly Dictionary<string, string> _signedIn = new(StringComparer.Ordinal);

    /// <summary>
    /// A 1366×768 page, as on the service hall's machines, that sends the browser's own language as English (the UI must
    /// still speak Chinese); signed in as <paramref name="userName"/> (a demo account) through the sign-in page when given.
    /// The first sign-in per account and host goes through the form; later pages reuse its cookie. <paramref name="host"/>
    /// is the shared one unless given.
    /// </summary>
    public async Task<IPage> NewPageAsync(string? userName = null, BrowserHost? host = null)
    {
        host ??= Host;
        var signInKey = $"{host.BaseUrl} {userName}";
        var options = new BrowserNewContextOptions
        {
            BaseURL = host.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            Locale = "en-US",
            StorageState = userName is not null ? _signedIn.GetValueOrDefault(signInKey) : null,
        };
        var context = await Browser.NewContextAsync(options);
        // Generous, because the CI machine is shared and often busy; a passing test never waits this long.
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        if (userName is not null && options.StorageState is null)
        {
            await page.GotoAsync("/signin");
            await page.GetByLabel("用户名").FillAsync(userName);
            await page.GetByLabel("密码").FillAsync(Staff.DemoPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("signed-in")).ToHaveTextAsync(userName);
            _signedIn[signInKey] = await context.StorageStateAsync();
        }

        return page;
    }

    /// <summary>
    /// After a test signs <paramref name="userName"/> out, which ends every session of the account, later pages sign in
    /// through the form again instead of reusing a cookie that no longer works.
    /// </summary>
    public void ForgetSignIn(string userName)
    {
        foreach (var key in _signedIn.Keys.Where(k => k.EndsWith($" {userName}", StringComparison.Ordinal)).ToList())
        {
            _signedIn.Remove(key);
        }
    }

    /// <summary>
    /// A second host on a database of its own (or on <paramref name="database"/>, for a host that follows another on the same
    /// data), for tests that need settings or services the shared host lacks; it keeps to the wall clock, because retries and
    /// back-offs wait on it. The test disposes it.
    /// </summary>
    public async Task<BrowserHost> StartHostAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> services,
        string? database = null)
    {
        var host = new BrowserHost(database ?? await CreateDatabaseAsync(), TimeProvider.System, settings, services);
        host.Start();
        return host;
    }

    /// <summary>An empty database's connection string, for <see cref="StartHostAsync"/>.</summary>
    public Task<string> CreateDatabaseAsync() => _postgres.CreateDatabaseAsync();

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work, BrowserHost? host = null)
    {
        await using var scope = (host ?? Host).Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    /// <summary>Files an identity change the way the API does, for tests that start after the clerk's part; on the shared host unless given.</summary>
    public async Task<(Guid Id, string CaseNumber)> FileIdentityChangeAsync(bool hasSchoolAgeChild = true, bool ownsProperty = true, BrowserHost? host = null)
    {
        return await WithScopeAsync(async services =>
        {
            var clerk = new AuditActor("clerk", Roles.Clerk, "127.0.0.1");
            using var photo = new MemoryStream(ApiClient.ApplicationFormPhoto());
            var upload = await services.GetRequiredService<UploadAttachment>()
                .HandleAsync(new UploadAttachmentCommand(ApiClient.ApplicationFormPhotoName, "image/jpeg", photo, clerk), CancellationToken.None);
            var applicationForm = Assert.IsType<UploadAttachmentResult.Stored>(upload).Attachment.Id;
            var form = JsonSerializer.SerializeToElement(ApiClient.IdentityChangeForm(applicationForm, hasSchoolAgeChild, ownsProperty));
            var result = await services.GetRequiredService<FileCase>().HandleAsync(new FileCaseCommand("identity-change", form, null, clerk),
                CancellationToken.None);
            Assert.Null(result.Refusal);
            var filed = result.Value!;
            var number = await services.GetRequiredService<OneThingDbContext>().Cases.Where(c => c.Id == filed.CaseId).Select(c => c.CaseNumber).SingleAsync();
            return (filed.CaseId, number);
        }, host);
    }

    /// <summary>Waits until the department's task of the case has reached its inbox (tasks travel over the bus).</summary>
    public Task<DepartmentTask> WaitForOpenTaskAsync(string department, Guid caseId) =>
        Eventually.MatchAsync(
            () => WithScopeAsync(services => services.GetRequiredService<OneThingDbContext>().DepartmentTasks.AsNoTracking()
                .SingleOrDefaultAsync(t => t.CaseId == caseId && t.Department == department)),
            task => task?.State == TaskState.Open,
            $"{department}'s task in its inbox")!;
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
