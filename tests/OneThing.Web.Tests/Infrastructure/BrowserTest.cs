using Microsoft.Playwright;

namespace OneThing.Web.Tests.Infrastructure;

/// <summary>A browser test: empty tables, the clock at the start, and a fresh 1366×768 page of its own.</summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    protected BrowserFixture Browser { get; } = browser;

    protected IPage Page { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Browser.ResetAsync();
        Page = await Browser.NewPageAsync();
    }

    public async Task DisposeAsync() => await Page.Context.DisposeAsync();
}
