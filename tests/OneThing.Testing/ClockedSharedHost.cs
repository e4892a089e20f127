using Microsoft.Extensions.DependencyInjection;

namespace OneThing.Testing;

/// <summary>A <see cref="SharedHost"/> on a clock the tests move by hand; each test starts with it back at <see cref="Start"/>.</summary>
public abstract class ClockedSharedHost : SharedHost
{
    protected ClockedSharedHost(PostgresServer postgres, DateTimeOffset start, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
        : this(postgres, start, new TestClock(start), settings, services)
    {
    }

    private ClockedSharedHost(PostgresServer postgres, DateTimeOffset start, TestClock clock, IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? services)
        : base(postgres, settings, clock, services)
    {
        Clock = clock;
        Start = start;
    }

    public TestClock Clock { get; }

    public DateTimeOffset Start { get; }

    public override Task<ApiClient> ResetAsync()
    {
        Clock.Set(Start);
        return base.ResetAsync();
    }

    /// <summary><see cref="ResetAsync"/>, handing over the host and the clock too, for a test class that keeps all three.</summary>
    public async Task<(OneThingHost Host, ApiClient Api, TestClock Clock)> StartTestAsync() => (Host, await ResetAsync(), Clock);
}
