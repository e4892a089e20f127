using Microsoft.Extensions.Configuration;

namespace OneThing.Processing.Hosting;

/// <summary>What an API process runs: everything (the embedded default) or only HTTP and the web UI beside workers.</summary>
public enum HostingRole
{
    All,
    Api,
}

public static class HostingRoles
{
    public const string Key = "Hosting:Role";

    public static HostingRole Read(IConfiguration configuration) => configuration[Key] switch
    {
        null or "" => HostingRole.All,
        var value when Enum.TryParse<HostingRole>(value, ignoreCase: true, out var role) && Enum.IsDefined(role) => role,
        var value => throw new InvalidOperationException($"Hosting__Role is '{value}'; it must be 'all' or 'api'."),
    };
}
