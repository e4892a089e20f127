using Microsoft.Playwright;

namespace OneThing.Web.Tests.Infrastructure;

/// <summary>A browser test: empty tables, the clock at the start, and a fresh 1366×768 page of its own.</summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    protected BrowserFixture Browser { get; } = browser;

    /// <summary>The page of whoever signed in last (<see cref="SignInAsAsync"/>); anonymous at first.</summary>
    protected IPage Page { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Browser.ResetAsync();
        Page = await Browser.NewPageAsync();
    }

    /// <summary>From now on <see cref="Page"/> is a fresh page signed in as this demo account (clerk, supervisor, reviewer.&lt;department&gt;).</summary>
    protected async Task SignInAsAsync(string userName)
    {
        await Page.Context.DisposeAsync();
        Page = await Browser.NewPageAsync(userName);
    }

    public async Task DisposeAsync() => await Page.Context.DisposeAsync();
}
