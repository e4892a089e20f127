namespace OneThing.Engine.Tests;

public class LanguageValidationTests
{
    private const string Header =
        """
        id: sample
        name: { zh: 示例, en: Sample }
        form:
          - { key: place, label: { zh: 地点, en: Place }, type: text }
          - { key: familyPhone, label: { zh: 家属电话, en: Family phone }, type: mobile }
        steps:
          - { id: persuade, name: { zh: 劝离, en: Persuade }, department: registry, outcomes: [resolved, unresolved], sla: 30m }

        """;

    [Fact]
    public void A_condition_on_an_unknown_step_or_outcome_is_refused_naming_the_step()
    {
        var errors = Messages(Header + """
              - { id: a, name: { zh: 甲, en: A }, department: land, needs: [persuade], when: "steps.ghost.outcome == 'resolved'" }
              - { id: b, name: { zh: 乙, en: B }, department: land, needs: [persuade], when: "steps.persuade.outcome == 'solved'" }
              - { id: c, name: { zh: 丙, en: C }, department: land, needs: [persuade], when: "steps.persuade.result == 'resolved'" }
            """);

        Assert.Contains("bad.yaml: step 'a': unknown step 'ghost' in when 'steps.ghost.outcome'", errors);
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'b': type error in when: 'solved' is not an option of choice field 'steps.persuade.outcome'")
            && message.Contains("resolved, unresolved, rejected, skipped"));
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'c': unknown name 'steps.persuade.result'"));
    }

    [Fact]
    public void A_condition_on_the_outcome_of_a_step_that_is_not_needed_is_refused()
    {
        var errors = Messages(Header + """
              - { id: a, name: { zh: 甲, en: A }, department: land, when: "steps.persuade.outcome == 'resolved'" }
              - { id: b, name: { zh: 乙, en: B }, department: land, needs: [a] }
              - { id: c, name: { zh: 丙, en: C }, department: land, needs: [b], when: "steps.persuade.outcome == 'resolved' and case.reports > 1" }
            """);

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("bad.yaml: step 'a': when tests the outcome of step 'persuade', which this step does not need", errors[0]);
        Assert.StartsWith("bad.yaml: step 'c': when tests the outcome of step 'persuade'", errors[1]);
    }

    [Fact]
    public void Breach_actions_must_name_existing_later_steps_and_need_a_deadline()
    {
        var errors = Messages(Header + """
              - id: a
                name: { zh: 甲, en: A }
                department: land
                needs: [persuade]
                on_breach: { start: [ghost, persuade, a], notify: { to: place, message: { zh: 超时, en: Late } } }
              - id: b
                name: { zh: 乙, en: B }
                department: land
                sla: 1 workday
                on_breach: { explode: true }
            """);

        Assert.Contains("bad.yaml: step 'a': on_breach needs an sla: without a deadline the step can never breach it", errors);
        Assert.Contains("bad.yaml: step 'a': on_breach.notify: recipient field 'place' is a text field; a message can only go to a mobile field", errors);
        Assert.Contains("bad.yaml: step 'a': on_breach.start names unknown step 'ghost'", errors);
        Assert.Contains("bad.yaml: step 'a': on_breach.start names the step itself; a step cannot restart itself", errors);
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'a': on_breach.start names step 'persuade', which needs nothing"));
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'b': on_breach: unknown key 'explode'"));
        Assert.Contains("bad.yaml: step 'b': on_breach must say what happens: start, cancel and/or notify", errors);
    }

    [Fact]
    public void Wait_and_notify_steps_say_how_long_or_what_and_have_no_department()
    {
        var errors = Messages(Header + """
              - { id: wait, name: { zh: 等待, en: Wait }, kind: wait, needs: [persuade] }
              - { id: wait-badly, name: { zh: 等待, en: Wait }, kind: wait, duration: soon, department: land, needs: [persuade] }
              - { id: tell, name: { zh: 告知, en: Tell }, kind: notify, needs: [persuade] }
              - { id: tell-nobody, name: { zh: 告知, en: Tell }, kind: notify, notify: { to: mayor, message: { zh: 你好, en: Hello } } }
              - { id: review, name: { zh: 审核, en: Review }, department: land, duration: 2d, notify: { to: clerk, message: { zh: 你好, en: Hello } } }
            """);

        Assert.Contains("bad.yaml: step 'wait': missing required key 'duration'", errors);
        Assert.Contains("bad.yaml: step 'wait-badly': a wait step has no department; remove 'department'", errors);
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'wait-badly': bad duration: 'soon' is not a valid SLA"));
        Assert.Contains("bad.yaml: step 'tell': a notify step needs 'notify' with 'to' and 'message'", errors);
        Assert.Contains("bad.yaml: step 'tell-nobody': notify: unknown recipient 'mayor'; use applicant, clerk or the key of a mobile field", errors);
        Assert.Contains("bad.yaml: step 'review': 'duration' is only for wait steps; a deadline is written as sla", errors);
        Assert.Contains("bad.yaml: step 'review': 'notify' is only for notify steps; to notify on a missed deadline use on_breach.notify", errors);
    }

    [Fact]
    public void Joins_rejection_policies_and_outcomes_are_spelled_from_a_fixed_list()
    {
        var errors = Messages(Header + """
              - { id: a, name: { zh: 甲, en: A }, department: land, needs: [persuade], join: any }
              - { id: b, name: { zh: 乙, en: B }, department: land, needs: [persuade, a], join: some, on_reject: ignore }
              - { id: c, name: { zh: 丙, en: C }, department: land, outcomes: [done, rejected, Done, done] }
              - { id: d, name: { zh: 丁, en: D }, department: land, kind: automated, outcomes: [done] }
            """);

        Assert.Contains("bad.yaml: step 'a': join: any needs at least two steps in needs", errors);
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'b': unknown join 'some'"));
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'b': unknown on_reject 'ignore'"));
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'c': outcome 'rejected' is reserved"));
        Assert.Contains("bad.yaml: step 'c': outcome 'Done' must be lowercase kebab-case, e.g. resolved", errors);
        Assert.Contains("bad.yaml: step 'c': outcome 'done' is listed more than once", errors);
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: step 'd': outcomes are chosen by a reviewer"));
    }

    [Fact]
    public void A_sound_definition_keeps_its_outcomes_joins_policies_and_breach_actions()
    {
        var definition = TestWorkflows.Parse((Header + """
              - id: police
                name: { zh: 交警, en: Police }
                department: land
                needs: [persuade]
                when: steps.persuade.outcome != 'resolved' or case.reports >= 3
                on_reject: continue
              - { id: verify, name: { zh: 核查, en: Verify }, department: archive, needs: [persuade, police], join: any }
            """).Replace("sla: 30m }", "sla: 30m, on_breach: { start: [police], cancel: true } }"));

        var persuade = definition.FindStep("persuade")!;
        Assert.Equal(["resolved", "unresolved"], persuade.Outcomes);
        Assert.Equal(["police"], persuade.OnBreach!.Start);
        Assert.True(persuade.OnBreach.Cancel);
        Assert.Null(persuade.OnBreach.Notify);
        Assert.Contains("breached", persuade.PossibleOutcomes());
        Assert.Equal(RejectionPolicy.Continue, definition.FindStep("police")!.OnReject);
        Assert.Equal(JoinMode.Any, definition.FindStep("verify")!.Join);
        Assert.Equal(JoinMode.All, definition.FindStep("police")!.Join);
    }

    [Fact]
    public void A_workflow_may_name_its_own_escalation_ladder_rising_from_the_deadline()
    {
        var definition = TestWorkflows.Parse(Header.Replace("form:", """
            escalation:
              - { at: 100%, to: department-head }
              - { at: 200%, to: district-leader }
            form:
            """));

        Assert.Equal([new EscalationLevel(1.0, "department-head"), new EscalationLevel(2.0, "district-leader")], definition.Escalation);
        Assert.Empty(TestWorkflows.Parse(Header).Escalation);
    }

    [Fact]
    public void An_escalation_ladder_below_the_deadline_out_of_order_or_to_no_role_is_refused()
    {
        var errors = Messages(Header.Replace("form:", """
            escalation:
              - { at: 80%, to: department-head }
              - { at: 150%, to: supervisor }
              - { at: 120%, to: district-leader }
              - { at: 300%, to: "区 领导" }
              - { at: 400% }
            form:
            """));

        Assert.Contains(errors, message => message.StartsWith("bad.yaml: escalation[0]: at '80%' must be a share of the step's deadline from 100%"));
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: escalation[2]: at 120% must come after the level before it"));
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: escalation[3]: to '区 领导' must be a role in kebab-case"));
        Assert.Contains(errors, message => message.StartsWith("bad.yaml: escalation[4]:") && message.Contains("to"));
        Assert.Equal(4, errors.Count);
    }

    private static List<string> Messages(string yaml) => TestWorkflows.Refuse(yaml).Select(error => error.ToString()).ToList();
}
