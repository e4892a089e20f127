using System.Text.Json;
using OneThing.Engine;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>The case row's JSON columns read back into the engine's types.</summary>
public static class CaseDocuments
{
    public static CaseState ReadState(CaseRecord record) =>
        JsonSerializer.Deserialize<CaseState>(record.State, OneThingJson.Options)
        ?? throw new InvalidOperationException($"Case {record.Id} has no stored state");

    public static FormData ReadForm(CaseRecord record)
    {
        using var document = JsonDocument.Parse(record.Form);
        return FormData.FromJson(document.RootElement.Clone());
    }

    public static string WriteState(CaseState state) => JsonSerializer.Serialize(state, OneThingJson.Options);
}
