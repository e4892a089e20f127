using Microsoft.Extensions.DependencyInjection;

namespace OneThing.Api.Web.Shared;

/// <summary>
/// Runs one piece of work in a DI scope of its own. A Blazor circuit lives as long as the browser tab, so pages must not
/// hold a DbContext or a use case for that long: each click gets fresh ones, just like an API request.
/// </summary>
public sealed class ScopedWork(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
