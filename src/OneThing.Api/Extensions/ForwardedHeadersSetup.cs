using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace OneThing.Api.Extensions;

/// <summary>
/// Behind a reverse proxy every request arrives from the proxy's address and the client's is in X-Forwarded-For.
/// Only the proxies named in settings are believed: anyone else could write that header to pass as another client,
/// for a fresh rate-limit quota or a false address in the audit log.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public const string Section = "ForwardedHeaders";
    public const string KnownProxiesKey = "KnownProxies";
    public const string KnownNetworksKey = "KnownNetworks";

    public static WebApplicationBuilder AddOneThingForwardedHeaders(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(Section);
        var proxies = ReadList(section.GetSection(KnownProxiesKey)).Select(ParseAddress).ToList();
        var networks = ReadList(section.GetSection(KnownNetworksKey)).Select(ParseNetwork).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET trusts loopback out of the box; here only what the operator names is trusted.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
            // A chain of named proxies (a load balancer, then nginx) is walked back to the first address not among them.
            options.ForwardLimit = null;
        });
        return builder;
    }

    public static WebApplication UseOneThingForwardedHeaders(this WebApplication app)
    {
        // With no proxy named, the middleware would believe every sender: it checks the sender only when some are listed.
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        if (options.KnownProxies.Count > 0 || options.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary>A list in settings (<c>KnownProxies__0=…</c>) or one comma-separated value (<c>KnownProxies=a,b</c>).</summary>
    private static IEnumerable<string> ReadList(IConfigurationSection section) =>
        section.GetChildren().Select(child => child.Value).Append(section.Value)
            .SelectMany(value => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static IPAddress ParseAddress(string text) => IPAddress.TryParse(text, out var address)
        ? address
        : throw new InvalidOperationException($"{Section}:{KnownProxiesKey}: '{text}' is not an IP address.");

    private static System.Net.IPNetwork ParseNetwork(string text) => System.Net.IPNetwork.TryParse(text, out var network)
        ? network
        : throw new InvalidOperationException($"{Section}:{KnownNetworksKey}: '{text}' is not a network in CIDR notation (e.g. 10.0.0.0/8).");
}
