using OneThing.Hosting.Development;
using OneThing.Processing;
using OneThing.Processing.Hosting;
using OneThing.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.AddOneThingLogging();
builder.AddOneThingTelemetry("onething-worker");
builder.AddEmbeddedPostgresWhenEnabled();
builder.AddOneThingStore();
builder.AddOneThingWorkers();
builder.AddOneThingHealthChecks();
builder.ListenByDefaultOn("http://127.0.0.1:5081");

var app = builder.Build();

app.MapOneThingHealth();
app.MapOneThingMetrics();

app.Run();
