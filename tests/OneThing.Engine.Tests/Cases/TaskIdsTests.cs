namespace OneThing.Engine.Tests;

public class TaskIdsTests
{
    private static readonly Guid CaseA = Guid.Parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    private static readonly Guid CaseB = Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    [Fact]
    public void The_same_case_and_step_always_give_the_same_task_id()
    {
        Assert.Equal(TaskIds.For(CaseA, "household"), TaskIds.For(CaseA, "household"));
    }

    [Fact]
    public void Task_ids_differ_per_step_and_per_case()
    {
        var ids = new[]
        {
            TaskIds.For(CaseA, "household"),
            TaskIds.For(CaseA, "education"),
            TaskIds.For(CaseB, "household"),
            TaskIds.For(CaseB, "education"),
        };

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Task_ids_are_version_8_rfc_9562_guids()
    {
        var id = TaskIds.For(CaseA, "household");
        var text = id.ToString("N");

        Assert.Equal(8, id.Version);
        Assert.Equal('8', text[12]);
        Assert.Contains(text[16], "89ab");
    }

    [Fact]
    public void Task_ids_are_pinned_so_that_a_changed_algorithm_is_noticed()
    {
        // Changing the derivation would give running cases new task ids and re-dispatch their tasks.
        Assert.Equal(Guid.Parse("4980e563-5fed-8143-a3a9-ff1a238ff298"), TaskIds.For(CaseA, "household"));
    }
}
