namespace OneThing.Api.Web.Shared;

public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>How often the supervisor's dashboard reloads its figures by itself.</summary>
    public TimeSpan DashboardRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
