using System.Text.RegularExpressions;
using OneThing.Telemetry;
using Serilog;
using Serilog.Events;

namespace OneThing.Api.Extensions;

/// <summary>
/// One line per request through Serilog's request logging: method, route template, status and time. Never the query
/// string (public look-ups carry phone digits there) and never the raw path of a matched route (it carries case ids
/// and numbers; the template says which endpoint it was).
/// </summary>
internal static partial class RequestLogging
{
    public const string MessageTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0.0} ms";

    /// <summary>Outside the exception handlers, so that the line carries the status they answered and no exception text.</summary>
    public static WebApplication UseOneThingRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            // Without it, Serilog's static logger, which writes nowhere.
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = MessageTemplate;
            options.IncludeQueryInRequestPath = false;
            options.GetLevel = (context, _, _) => Level(context);
            options.GetMessageTemplateProperties = (context, _, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("RequestPath", new ScalarValue(LoggedPath(context))),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            ];
        });
        return app;
    }

    /// <summary>Scrapes and probes come every few seconds; at Information they would drown the requests people make.</summary>
    private static LogEventLevel Level(HttpContext context) =>
        context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
        : TelemetryHosting.IsScrapeOrProbe(context.Request.Path) ? LogEventLevel.Debug
        : LogEventLevel.Information;

    /// <summary>
    /// The route template when an endpoint matched; otherwise the path with every segment that could be personal data
    /// (a run of digits as long as a phone number's tail, or any non-ASCII letter, as in a name) replaced.
    /// </summary>
    public static string LoggedPath(HttpContext context)
    {
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template })
        {
            // A group's own route ("/api/cases" + "/") reads as the group.
            return "/" + template.Trim('/');
        }

        var path = context.Request.Path.Value ?? "";
        return string.Join('/', path.Split('/').Select(segment => MaybePersonal().IsMatch(segment) ? "*" : segment));
    }

    [GeneratedRegex(@"[0-9]{4,}|[^\x00-\x7F]|%")]
    private static partial Regex MaybePersonal();
}
