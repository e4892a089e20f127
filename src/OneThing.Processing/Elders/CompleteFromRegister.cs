using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Elders;

/// <summary>
/// Completes an incident report from the register its place names (<c>incident.register</c>): a water meter's alert
/// names the meter, and the register gives the elder's name, address, grid and family phone. The report may not carry
/// those fields itself, and a meter that is not enrolled, or no longer, opens nothing.
/// </summary>
public sealed class CompleteFromRegister(OneThingDbContext db)
{
    public async Task<CommandResult<JsonElement>> HandleAsync(IncidentSpec incident, JsonElement report, CancellationToken cancellationToken)
    {
        if (incident.Register is not { } register || report.ValueKind != JsonValueKind.Object)
        {
            return CommandResult<JsonElement>.Done(report);
        }

        var carried = report.EnumerateObject().Select(p => p.Name).Where(register.Fill.ContainsKey).Distinct().ToList();
        if (carried.Count > 0)
        {
            return new Refusal.InvalidForm(carried.Select(key => new FieldError(key,
                "此项由登记信息自动填写，上报时不应包含", $"This field comes from the register ({register.Name}); a report must not carry it")).ToList());
        }

        if (!report.TryGetProperty(incident.PlaceField, out var placeValue) || placeValue.ValueKind != JsonValueKind.String
            || placeValue.GetString()!.Trim() is not { Length: > 0 } key)
        {
            return new Refusal.InvalidForm([new FieldError(incident.PlaceField, "此项为必填项", "This field is required")]);
        }

        var values = await LookUpAsync(register.Name, key, cancellationToken);
        if (values.Refusal is { } refusal)
        {
            return refusal;
        }

        var completed = JsonNode.Parse(report.GetRawText())!.AsObject();
        foreach (var (field, source) in register.Fill)
        {
            completed[field] = values.Value![source];
        }

        return CommandResult<JsonElement>.Done(JsonSerializer.SerializeToElement(completed));
    }

    private async Task<CommandResult<IReadOnlyDictionary<string, string>>> LookUpAsync(string registerName, string key, CancellationToken cancellationToken)
    {
        if (registerName != Registers.EnrolledElders)
        {
            throw new InvalidOperationException($"The loader accepted register '{registerName}', which has no lookup.");
        }

        var elder = await db.EnrolledElders.AsNoTracking().SingleOrDefaultAsync(e => e.MeterId == key, cancellationToken);
        if (elder is null)
        {
            return new Refusal.NotFound(
                $"Meter '{key}' is not in the register of enrolled elders; civil affairs enrols it first. 水表“{key}”未在独居老人登记中，请先由民政登记。");
        }

        if (elder.EndedOn is { } ended)
        {
            return new Refusal.Unprocessable("Enrolment ended",
                $"The enrolment of meter '{key}' ended on {ended:yyyy-MM-dd}; its alerts open no case. 水表“{key}”的登记已于{ended:yyyy-MM-dd}终止，告警不再受理。");
        }

        return CommandResult<IReadOnlyDictionary<string, string>>.Done(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Registers.ElderFields.Name] = elder.Name,
            [Registers.ElderFields.Address] = elder.Address,
            [Registers.ElderFields.Grid] = elder.Grid,
            [Registers.ElderFields.FamilyPhone] = elder.FamilyPhone,
        });
    }
}
