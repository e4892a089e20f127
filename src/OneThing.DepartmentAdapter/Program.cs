using OneThing.DepartmentAdapter;
using OneThing.Telemetry;

// appsettings.json sits beside the dll; the adapter is started from anywhere (systemd, a container, a test).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
try
{
    builder.AddDepartmentAdapter();
}
catch (AdapterConfigurationException ex)
{
    Console.Error.WriteLine($"OneThing.DepartmentAdapter cannot start: {ex.Message}");
    return 2;
}

var app = builder.Build();
app.MapDepartmentAdapterHealth();
app.MapOneThingMetrics();
app.Run();
return 0;
