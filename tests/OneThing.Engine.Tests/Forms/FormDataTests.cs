namespace OneThing.Engine.Tests;

public class FormDataTests
{
    private static readonly FormData Sample = TestWorkflows.Form("""{ "name": "张三", "age": 42, "tags": ["a"], "ok": true }""");

    [Fact]
    public void Json_round_trips_with_keys_in_order()
    {
        var json = Sample.ToJson();
        var again = FormData.FromJson(json);

        Assert.Equal(System.Text.Json.JsonValueKind.Object, json.ValueKind);
        Assert.Equal(["name", "age", "tags", "ok"], again.Keys);
        Assert.Equal(Sample, again);
        Assert.Equal(42, json.GetProperty("age").GetInt32());
    }

    [Fact]
    public void Project_keeps_only_the_requested_keys_that_are_present()
    {
        var projected = Sample.Project(["age", "missing", "name"]);

        Assert.Equal(["name", "age"], projected.Keys);
        Assert.False(projected.TryGet("ok", out _));
        Assert.Equal(4, Sample.Keys.Count);
    }

    [Fact]
    public void With_merges_and_the_changes_win()
    {
        var merged = Sample.With(TestWorkflows.Form("""{ "age": 43, "phone": "13812345678" }"""));

        Assert.Equal(["name", "age", "tags", "ok", "phone"], merged.Keys);
        Assert.True(merged.TryGet("age", out var age));
        Assert.Equal(43, age.GetInt32());
        Assert.True(Sample.TryGet("age", out var original));
        Assert.Equal(42, original.GetInt32());
    }

    [Fact]
    public void Empty_has_no_keys_and_equality_compares_values()
    {
        Assert.Empty(FormData.Empty.Keys);
        Assert.Equal("{}", FormData.Empty.ToJson().GetRawText());
        Assert.NotEqual(Sample, Sample.With(TestWorkflows.Form("""{ "age": 41 }""")));
        Assert.Equal(Sample, Sample.With(FormData.Empty));
    }

    [Fact]
    public void ToString_shows_keys_but_never_values()
    {
        var text = Sample.ToString();

        Assert.Contains("name", text);
        Assert.DoesNotContain("张三", text);
    }

    [Fact]
    public void From_json_refuses_anything_but_an_object()
    {
        Assert.Throws<ArgumentException>(() => FormData.FromJson(TestWorkflows.Json("[1]")));
    }
}
