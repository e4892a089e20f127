using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneThing.Engine.Tests;

public class CaseStateSerializationTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    [Fact]
    public void A_case_state_survives_a_json_round_trip()
    {
        var definition = TestWorkflows.Parse(TestWorkflows.FanOutAndJoin);
        var caseId = Guid.Parse("9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4");
        var filedAt = new DateTimeOffset(2025, 5, 6, 10, 30, 0, TimeSpan.FromHours(8));
        var state = CaseEngine.Start(definition, caseId, FormData.Empty, filedAt).State;
        state = ((Applied)CaseEngine.Apply(definition, state, FormData.Empty,
            new StepDecided("a", TaskIds.For(caseId, "a"), Decision.Approve, null, null), filedAt.AddMinutes(45))).State;

        var json = JsonSerializer.Serialize(state, Options);
        var restored = JsonSerializer.Deserialize<CaseState>(json, Options);

        Assert.Equal(state, restored);
        Assert.Contains("\"Approved\"", json);
        Assert.Contains("\"Waiting\"", json);
        Assert.DoesNotContain("hasEnded", json);
    }
}
