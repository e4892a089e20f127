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
    public void Task_ids_do_not_depend_on_anything_but_their_inputs()
    {
        // Pinned so that a change of algorithm, which would re-dispatch every running task under a new id, is noticed.
        Assert.Equal(TaskIds.For(CaseA, "household"), TaskIds.For(Guid.Parse(CaseA.ToString()), new string("household".ToCharArray())));
        Assert.NotEqual(Guid.Empty, TaskIds.For(Guid.Empty, ""));
    }
}
