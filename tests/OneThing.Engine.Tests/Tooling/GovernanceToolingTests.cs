using OneThing.Cli;

namespace OneThing.Engine.Tests;

public class GovernanceToolingTests
{
    private const string Header =
        """
        id: governance
        name: { zh: 治理, en: Governance }
        steps:
          - { id: inspect, name: { zh: 检查, en: Inspect }, department: law-enforcement }
          - { id: reinspect, name: { zh: 复查, en: Re-inspect }, department: law-enforcement, needs: [inspect], outcomes: [rectified, not-rectified] }

        """;

    [Theory]
    [InlineData("loops:\n  - { id: again, steps: [ghost], until: \"case.reports > 1\", max_rounds: 2, on_max: escalate }",
        "governance.yaml: loop 'again': unknown step 'ghost' in steps")]
    [InlineData("loops:\n  - { id: again, steps: [reinspect], until: \"steps.reinspect.outcome == 'rectified'\", on_max: escalate }",
        "governance.yaml: loop 'again': missing required key 'max_rounds'")]
    [InlineData("loops:\n  - { id: again, steps: [reinspect], until: \"steps.reinspect.outcome == 'rectified'\", max_rounds: 0, on_max: escalate }",
        "governance.yaml: loop 'again': max_rounds '0' must be a whole number of rounds, at least 1")]
    [InlineData("loops:\n  - { id: again, steps: [reinspect], until: \"steps.reinspect.outcome == 'fixed'\", max_rounds: 2, on_max: escalate }",
        "governance.yaml: loop 'again': type error in until: 'fixed' is not an option")]
    [InlineData("  - { id: verify, name: { zh: 核查, en: Verify }, department: grid-worker, needs: [inspect], verifies: { step: ghost } }",
        "governance.yaml: step 'verify': verifies unknown step 'ghost'")]
    [InlineData("  - { id: verify, name: { zh: 核查, en: Verify }, department: grid-worker, verifies: { step: reinspect } }",
        "governance.yaml: step 'verify': verifies step 'reinspect', which does not come before it")]
    [InlineData("  - { id: assign, name: { zh: 分派, en: Assign }, kind: triage, department: community, choose_from: [] }",
        "governance.yaml: step 'assign': a triage step needs 'choose_from'")]
    [InlineData("  - { id: assign, name: { zh: 分派, en: Assign }, kind: triage, department: community, choose_from: [housing-office] }",
        "governance.yaml: step 'assign': unknown department 'housing-office' in choose_from")]
    [InlineData("  - { id: reply, name: { zh: 答复, en: Reply }, department: community, needs: [reinspect], join: all-chosen }",
        "governance.yaml: step 'reply': join: all-chosen waits for the departments chosen at a triage step")]
    public void Validate_refuses_each_misuse_of_loops_verification_and_triage_naming_file_step_and_problem(string misuse, string expected)
    {
        var directory = Directory.CreateTempSubdirectory("onething-cli-").FullName;
        try
        {
            File.Copy(Path.Combine(TestWorkflows.RepositoryWorkflowsDirectory(), "departments.yaml"), Path.Combine(directory, "departments.yaml"));
            File.WriteAllText(Path.Combine(directory, "governance.yaml"), Header + misuse + "\n");

            var output = new StringWriter();
            var error = new StringWriter();
            var code = WorkflowCommands.Run(["workflows", "validate", directory], output, error);

            Assert.Equal(WorkflowCommands.Invalid, code);
            Assert.Contains(expected, error.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_diagram_boxes_a_loop_with_an_arrow_back_and_shows_triage_and_verification()
    {
        var definition = TestWorkflows.Parse("""
            id: drawn
            name: { zh: 图, en: Drawn }
            steps:
              - { id: assign, name: { zh: 分派, en: Assign }, kind: triage, department: registry, choose_from: [land, schools] }
              - { id: rectify, name: { zh: 整改, en: Rectify }, department: land, needs: [assign], join: all-chosen }
              - { id: reinspect, name: { zh: 复查, en: Re-inspect }, department: archive, needs: [rectify], outcomes: [rectified, not-rectified], verifies: { step: rectify } }
            loops:
              - { id: rectification, steps: [rectify, reinspect], until: "steps.reinspect.outcome == 'rectified'", max_rounds: 3, on_max: end-case }
            """);

        var diagram = MermaidDiagram.Render(definition, TestWorkflows.Departments);

        Assert.Contains("s_assign{{\"分派<br/>Assign<br/>户籍<br/>分派 / triage → land | schools\"}}", diagram);
        Assert.Contains("s_assign -->|\"all chosen\"| s_rectify", diagram);
        Assert.Contains("核查 / verifies rectify", diagram);
        Assert.Contains("subgraph loop_rectification[\"循环 / loop rectification: 至多 / max 3 轮 / rounds\"]", diagram);
        Assert.Contains("s_reinspect -.->|\"重复直到 / repeat until steps.reinspect.outcome == 'rectified'\"| s_rectify", diagram);
    }
}
