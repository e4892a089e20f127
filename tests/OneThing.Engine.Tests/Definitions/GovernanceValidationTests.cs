namespace OneThing.Engine.Tests;

public class GovernanceValidationTests
{
    private const string Steps =
        """
        steps:
          - { id: inspect, name: { zh: 检查, en: Inspect }, department: land }
          - { id: rectify, name: { zh: 整改, en: Rectify }, department: registry, needs: [inspect] }
          - { id: reinspect, name: { zh: 复查, en: Re-inspect }, department: land, needs: [rectify], outcomes: [rectified, not-rectified] }
          - { id: close, name: { zh: 销号, en: Close }, department: archive, needs: [reinspect] }

        """;

    private static string Loop(string body) =>
        "id: sample\nname: { zh: 示例, en: Sample }\n" + Steps + "loops:\n" + body;

    private static string WithStep(string step) =>
        "id: sample\nname: { zh: 示例, en: Sample }\n" + Steps + step;

    [Fact]
    public void A_loop_over_an_unknown_step_or_without_a_usable_round_limit_is_refused_naming_the_loop()
    {
        var errors = Messages(Loop("""
              - { id: rectification, steps: [rectify, ghost], until: "steps.reinspect.outcome == 'rectified'", max_rounds: 3, on_max: escalate }
              - { id: second, steps: [close], until: "steps.close.outcome == 'approved'", on_max: escalate }
              - { id: third, steps: [close], until: "steps.close.outcome == 'approved'", max_rounds: 0, on_max: end-case }
            """));

        Assert.Contains("bad.yaml: loop 'rectification': unknown step 'ghost' in steps", errors);
        Assert.Contains("bad.yaml: loop 'second': missing required key 'max_rounds'", errors);
        Assert.Contains("bad.yaml: loop 'third': max_rounds '0' must be a whole number of rounds, at least 1", errors);
    }

    [Fact]
    public void A_loop_condition_must_test_outcomes_the_loops_own_steps_can_have()
    {
        var errors = Messages(Loop("""
              - { id: wrong-outcome, steps: [rectify, reinspect], until: "steps.reinspect.outcome == 'fixed'", max_rounds: 3, on_max: escalate }
              - { id: outside, steps: [close], until: "steps.inspect.outcome == 'approved'", max_rounds: 2, on_max: escalate }
            """));

        Assert.Contains(errors, message => message.StartsWith("bad.yaml: loop 'wrong-outcome': type error in until: 'fixed' is not an option of choice field 'steps.reinspect.outcome'")
            && message.Contains("rectified, not-rectified"));
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: loop 'outside': until tests the outcome of step 'inspect', which is not in the loop"));
    }

    [Fact]
    public void What_happens_after_the_last_round_must_be_escalate_end_case_or_a_later_step()
    {
        var errors = Messages(Loop("""
              - { id: unknown-limit, steps: [rectify, reinspect], until: "steps.reinspect.outcome == 'rectified'", max_rounds: 3, on_max: give-up }
              - { id: inner-limit, steps: [close], until: "steps.close.outcome == 'approved'", max_rounds: 2, on_max: close }
            """));

        Assert.Contains(errors, message => message.StartsWith("bad.yaml: loop 'unknown-limit': unknown on_max 'give-up'; use escalate"));
        Assert.Contains("bad.yaml: loop 'inner-limit': on_max names step 'close', which is in the loop; name a step after it", errors);
    }

    [Fact]
    public void A_step_in_two_loops_or_a_loop_entered_through_its_own_later_step_is_refused()
    {
        var errors = Messages(WithStep("""
              - { id: prepare, name: { zh: 准备, en: Prepare }, department: pensions, needs: [reinspect] }
              - { id: redo, name: { zh: 返工, en: Redo }, department: schools, needs: [prepare] }
            loops:
              - { id: first, steps: [rectify, reinspect, redo], until: "steps.reinspect.outcome == 'rectified'", max_rounds: 3, on_max: escalate }
              - { id: second, steps: [reinspect], until: "steps.reinspect.outcome == 'rectified'", max_rounds: 3, on_max: escalate }
            """));

        Assert.Contains(errors, message => message.StartsWith("bad.yaml: loop 'first': step 'redo' needs 'prepare', which needs loop step"));
        Assert.Contains("bad.yaml: loop 'second': step 'reinspect' is already in loop 'first'; a step repeats with one loop only", errors);
    }

    [Fact]
    public void A_verification_must_name_an_earlier_step_and_be_decided_by_someone_who_can_be_independent()
    {
        var errors = Messages(WithStep("""
              - { id: v-unknown, name: { zh: 核查一, en: V1 }, department: archive, needs: [close], verifies: { step: ghost } }
              - { id: v-later, name: { zh: 核查二, en: V2 }, department: archive, needs: [inspect], verifies: { step: close } }
              - { id: v-same, name: { zh: 核查三, en: V3 }, department: land, needs: [inspect], verifies: { step: inspect, independent: department } }
              - { id: v-when, name: { zh: 核查四, en: V4 }, department: archive, needs: [inspect], when: "steps.inspect.outcome == 'approved'", verifies: { step: inspect, independent: team } }
            """));

        Assert.Contains("bad.yaml: step 'v-unknown': verifies unknown step 'ghost'", errors);
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'v-later': verifies step 'close', which does not come before it"));
        Assert.Contains("bad.yaml: step 'v-same': verifies step 'inspect' independently of its department, but both steps are handled by 'land'", errors);
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'v-when': verifies: unknown independent 'team'"));
    }

    [Fact]
    public void A_verifying_step_cannot_be_skipped()
    {
        var errors = Messages(WithStep("""
              - { id: verify, name: { zh: 核查, en: Verify }, department: archive, needs: [inspect], when: "steps.inspect.outcome == 'approved'", verifies: { step: inspect } }
            """));

        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'verify': a verifying step cannot have 'when'"));
    }

    [Fact]
    public void A_triage_needs_known_departments_to_choose_from_and_all_chosen_needs_a_triage_step()
    {
        var errors = Messages(WithStep("""
              - { id: empty, name: { zh: 分派一, en: T1 }, kind: triage, department: registry, needs: [inspect] }
              - { id: unknown, name: { zh: 分派二, en: T2 }, kind: triage, department: registry, needs: [inspect], choose_from: [land, fishing] }
              - { id: not-triage, name: { zh: 普通, en: Plain }, department: registry, needs: [inspect], choose_from: [land] }
              - { id: join, name: { zh: 汇合, en: Join }, department: archive, needs: [close], join: all-chosen }
            """));

        Assert.Contains("bad.yaml: step 'empty': a triage step needs 'choose_from' listing at least one department the reviewer may choose", errors);
        Assert.Contains("bad.yaml: step 'unknown': unknown department 'fishing' in choose_from", errors);
        Assert.Contains("bad.yaml: step 'not-triage': 'choose_from' is only for triage steps, where a reviewer chooses the departments that act", errors);
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'join': join: all-chosen waits for the departments chosen at a triage step, but none of its needs (close)"));
    }

    [Fact]
    public void A_workflow_with_a_loop_a_verification_and_a_triage_loads_with_each_in_its_definition()
    {
        var definition = TestWorkflows.Parse(WithStep("""
              - { id: assign, name: { zh: 分派, en: Assign }, kind: triage, department: registry, needs: [close], choose_from: [land, schools], chosen_sla: 2 workdays }
              - { id: verify, name: { zh: 核查, en: Verify }, department: archive, needs: [assign], join: all-chosen, verifies: { step: reinspect, independent: department } }
            loops:
              - { id: rectification, steps: [rectify, reinspect], until: "steps.reinspect.outcome == 'rectified'", max_rounds: 3, on_max: escalate }
            """));

        var loop = Assert.Single(definition.Loops);
        Assert.Equal(["rectify", "reinspect"], loop.Steps);
        Assert.Equal((3, LoopLimitAction.Escalate), (loop.MaxRounds, loop.OnMax.Action));
        Assert.Equal(["land", "schools"], definition.FindStep("assign")!.ChooseFrom);
        Assert.Equal(new VerificationSpec("reinspect", Independence.Department), definition.FindStep("verify")!.Verifies);
        Assert.Equal(JoinMode.AllChosen, definition.FindStep("verify")!.Join);
        Assert.Same(loop, definition.LoopOf("reinspect"));
    }

    private static List<string> Messages(string yaml) => TestWorkflows.Refuse(yaml).Select(error => error.ToString()).ToList();
}
