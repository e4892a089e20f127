using OneThing.Api.Extensions;
using OneThing.Api.Web;
using OneThing.Hosting.Development;
using OneThing.Processing;
using OneThing.Processing.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddOneThingLogging();
builder.AddEmbeddedPostgresWhenEnabled();
builder.AddOneThingProcessing(HostingRoles.Read(builder.Configuration));
builder.AddOneThingApi();
builder.AddOneThingWeb();

var app = builder.Build();

app.UseOneThingApi();
app.UseOneThingWeb();
app.MapOneThingEndpoints();
app.MapOneThingWeb();

app.Run();

public partial class Program;
