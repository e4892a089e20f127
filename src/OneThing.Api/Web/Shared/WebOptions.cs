namespace OneThing.Api.Web.Shared;

public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>How often the supervisor's dashboard reloads its figures by itself.</summary>
    public TimeSpan DashboardRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Origins besides the site's own host (e.g. <c>https://yjs.example.gov.cn</c>, when a proxy rewrites the Host
    /// header) whose pages may open the web UI's live connection.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];
}
