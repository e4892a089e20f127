using OneThing.Api.Extensions;
using OneThing.Processing;

var builder = WebApplication.CreateBuilder(args);

builder.AddOneThingLogging();
builder.AddOneThingProcessing();
builder.AddOneThingApi();

var app = builder.Build();

app.UseOneThingApi();
app.MapOneThingEndpoints();

app.Run();

public partial class Program;
