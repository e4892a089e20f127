namespace OneThing.Engine.Tests;

public class WorkflowLoaderTests
{
    private const string Header =
        """
        id: sample
        name: { zh: 示例, en: Sample }
        form:
          - { key: name, label: { zh: 姓名, en: Name }, type: text, required: true, personal: true }
          - { key: idNumber, label: { zh: 身份证号, en: ID number }, type: idNumber, required: true }
          - { key: hasSchoolAgeChild, label: { zh: 有学龄子女, en: Has a school-age child }, type: bool }
          - { key: age, label: { zh: 年龄, en: Age }, type: number }
          - { key: bornOn, label: { zh: 出生日期, en: Born on }, type: date }
          - { key: channel, label: { zh: 渠道, en: Channel }, type: choice, options: [window, online] }
          - { key: photo, label: { zh: 照片, en: Photo }, type: attachment }
        steps:
          - { id: household, name: { zh: 户籍, en: Household }, department: registry, sees: [name, idNumber] }

        """;

    private static string WithStep(string step) => Header + "  " + step.Trim() + "\n";

    [Fact]
    public void A_valid_file_loads_with_every_property_read()
    {
        var loaded = WorkflowLoader.Parse(
            Header + """
              - id: education
                name: { zh: 学籍, en: Education }
                department: schools
                kind: automated
                needs: [household]
                when: hasSchoolAgeChild and age >= 6
                sla: 3 workdays
                sees: [name]
            """,
            "sample.yaml",
            TestWorkflows.Departments);

        var step = loaded.Definition.FindStep("education")!;
        Assert.Equal("sample.yaml", loaded.FileName);
        Assert.Equal(new LocalizedText("学籍", "Education"), step.Name);
        Assert.Equal("schools", step.Department);
        Assert.Equal(StepKind.Automated, step.Kind);
        Assert.Equal(["household"], step.Needs);
        Assert.Equal("hasSchoolAgeChild and age >= 6", step.WhenText);
        Assert.True(step.When!.Evaluate(TestWorkflows.Form("""{ "hasSchoolAgeChild": true, "age": 7 }""")));
        Assert.Equal(new Sla(3, SlaUnit.WorkDays), step.Sla);
        Assert.Equal(["name"], step.Sees);
        Assert.Equal(StepKind.Review, loaded.Definition.FindStep("household")!.Kind);
        Assert.True(loaded.Definition.FindField("idNumber")!.Personal);
        Assert.True(loaded.Definition.FindField("name")!.Personal);
        Assert.False(loaded.Definition.FindField("age")!.Personal);
        Assert.Equal(["window", "online"], loaded.Definition.FindField("channel")!.Options);
        Assert.Empty(loaded.Definition.FindField("age")!.Options);
        Assert.Null(loaded.Definition.Description);
    }

    [Fact]
    public void An_error_reads_file_step_and_problem()
    {
        var errors = TestWorkflows.Refuse(
            WithStep("- { id: education, name: { zh: 学籍, en: Education }, department: schools, when: hasKid == true }"),
            "identity-change.yaml");

        var error = Assert.Single(errors);
        Assert.Equal("identity-change.yaml: step 'education': unknown field 'hasKid' in when", error.ToString());
        Assert.Equal("identity-change.yaml", error.File);
        Assert.Equal("education", error.Step);
    }

    [Fact]
    public void An_unknown_department_is_refused()
    {
        var error = Assert.Single(TestWorkflows.Refuse(WithStep("- { id: tax, name: { zh: 税, en: Tax }, department: taxes }")));

        Assert.Equal("bad.yaml: step 'tax': unknown department 'taxes'", error.ToString());
    }

    [Fact]
    public void An_unknown_field_in_sees_is_refused()
    {
        var error = Assert.Single(TestWorkflows.Refuse(
            WithStep("- { id: land, name: { zh: 房, en: Land }, department: land, sees: [name, phone] }")));

        Assert.Equal("bad.yaml: step 'land': unknown field 'phone' in sees", error.ToString());
    }

    [Fact]
    public void A_cycle_in_needs_is_refused_naming_the_steps_in_it()
    {
        var errors = TestWorkflows.Refuse(
            Header + """
              - { id: first, name: { zh: 一, en: One }, department: registry, needs: [third] }
              - { id: second, name: { zh: 二, en: Two }, department: registry, needs: [first, household] }
              - { id: third, name: { zh: 三, en: Three }, department: registry, needs: [second] }
            """);

        var error = Assert.Single(errors);
        Assert.Equal("first", error.Step);
        Assert.Contains("cycle", error.Message);
        Assert.Contains("first → third → second → first", error.Message);
        Assert.DoesNotContain("household", error.Message);
    }

    [Fact]
    public void A_step_needing_itself_is_a_cycle()
    {
        var error = Assert.Single(TestWorkflows.Refuse(
            WithStep("- { id: loop, name: { zh: 环, en: Loop }, department: registry, needs: [loop] }")));

        Assert.Equal("bad.yaml: step 'loop': needs form a cycle: loop → loop (each step needs the next)", error.ToString());
    }

    [Fact]
    public void An_unknown_step_in_needs_is_refused()
    {
        var error = Assert.Single(TestWorkflows.Refuse(
            WithStep("- { id: land, name: { zh: 房, en: Land }, department: land, needs: [houshold] }")));

        Assert.Equal("bad.yaml: step 'land': needs unknown step 'houshold'", error.ToString());
    }

    [Fact]
    public void Bad_condition_syntax_is_refused_with_its_position()
    {
        var error = Assert.Single(TestWorkflows.Refuse(
            WithStep("- { id: land, name: { zh: 房, en: Land }, department: land, when: \"age = 3\" }")));

        Assert.Equal("land", error.Step);
        Assert.StartsWith("bad condition syntax in when 'age = 3'", error.Message);
        Assert.Contains("'=='", error.Message);
        Assert.Contains("column 5", error.Message);
    }

    [Fact]
    public void Duplicate_step_ids_are_refused()
    {
        var error = Assert.Single(TestWorkflows.Refuse(
            WithStep("- { id: household, name: { zh: 重复, en: Again }, department: land }")));

        Assert.Equal("bad.yaml: step 'household': duplicate step id 'household'", error.ToString());
    }

    [Fact]
    public void Duplicate_field_keys_are_refused()
    {
        var yaml = Header.Replace(
            "steps:",
            "  - { key: age, label: { zh: 年龄2, en: Age again }, type: text }\nsteps:");

        var error = Assert.Single(TestWorkflows.Refuse(yaml));

        Assert.Equal("bad.yaml: duplicate field key 'age'", error.ToString());
    }

    [Theory]
    [InlineData("hasSchoolAgeChild == 1", "bool field 'hasSchoolAgeChild' cannot be compared with number 1")]
    [InlineData("name < 'M'", "'<' cannot be used on text field 'name'")]
    [InlineData("channel == 'phone'", "'phone' is not an option of choice field 'channel' (options: window, online)")]
    [InlineData("age > '3'", "number field 'age' cannot be compared with string '3'")]
    [InlineData("bornOn >= '2020-02-30'", "'2020-02-30' is not a valid date (yyyy-MM-dd) for date field 'bornOn'")]
    [InlineData("name", "text field 'name' cannot stand alone as a condition")]
    [InlineData("photo == 'x'", "attachment field 'photo' cannot be used in a condition")]
    [InlineData("channel in ['window', 'fax']", "'fax' is not an option of choice field 'channel'")]
    public void Type_errors_in_a_condition_are_refused(string condition, string expected)
    {
        var error = Assert.Single(TestWorkflows.Refuse(
            WithStep($"- {{ id: land, name: {{ zh: 房, en: Land }}, department: land, when: \"{condition}\" }}")));

        Assert.Equal("land", error.Step);
        Assert.StartsWith("type error in when: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_bad_sla_is_refused()
    {
        var error = Assert.Single(TestWorkflows.Refuse(
            WithStep("- { id: land, name: { zh: 房, en: Land }, department: land, sla: 3 weeks }")));

        Assert.Equal("land", error.Step);
        Assert.StartsWith("bad sla: '3 weeks'", error.Message);
    }

    [Fact]
    public void A_bad_case_sla_is_refused()
    {
        var error = Assert.Single(TestWorkflows.Refuse(Header.Replace("form:", "sla: soon\nform:")));

        Assert.Null(error.Step);
        Assert.StartsWith("bad sla: 'soon'", error.Message);
    }

    [Fact]
    public void Missing_required_keys_are_refused_one_by_one()
    {
        var errors = TestWorkflows.Refuse(
            """
            name: { zh: 示例 }
            form:
              - { key: age, label: { zh: 年龄, en: Age } }
            steps:
              - { id: land, department: land }
              - { name: { zh: 无名, en: Nameless }, department: land }
            """);

        var messages = errors.Select(error => error.ToString()).ToList();
        Assert.Contains("bad.yaml: missing required key 'id'", messages);
        Assert.Contains("bad.yaml: name: missing required key 'en'", messages);
        Assert.Contains("bad.yaml: field 'age': missing required key 'type'", messages);
        Assert.Contains("bad.yaml: step 'land': missing required key 'name'", messages);
        Assert.Contains("bad.yaml: step '#2': missing required key 'id'", messages);
        Assert.Equal(5, messages.Count);
    }

    [Fact]
    public void A_file_without_steps_is_refused()
    {
        var errors = TestWorkflows.Refuse("id: empty\nname: { zh: 空, en: Empty }\nsteps: []\n");

        Assert.Equal("bad.yaml: 'steps' must list at least one step", Assert.Single(errors).ToString());
        Assert.Equal(
            "bad.yaml: missing required key 'steps'",
            Assert.Single(TestWorkflows.Refuse("id: empty\nname: { zh: 空, en: Empty }\n")).ToString());
    }

    [Fact]
    public void Unknown_keys_are_refused_by_name()
    {
        var errors = TestWorkflows.Refuse(
            Header.Replace("form:", "owner: somebody\nform:")
            + "  - { id: land, name: { zh: 房, en: Land }, department: land, depends: [household] }\n");

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("unknown key 'owner' (line 3)", errors[0].Message);
        Assert.Null(errors[0].Step);
        Assert.StartsWith("unknown key 'depends'", errors[1].Message);
        Assert.Equal("land", errors[1].Step);
    }

    [Fact]
    public void A_yaml_syntax_error_is_refused_with_its_line()
    {
        var error = Assert.Single(TestWorkflows.Refuse("id: broken\nname: { zh: 坏, en: Broken }\nsteps:\n  - id: 'unterminated\n"));

        Assert.Null(error.Step);
        Assert.StartsWith("YAML syntax error at line 4", error.Message);
    }

    [Fact]
    public void A_yaml_structure_error_is_refused_with_its_line()
    {
        var error = Assert.Single(TestWorkflows.Refuse("id: broken\nsteps:\n  - id: a\n name: b\n"));

        Assert.Contains("YAML syntax error", error.Message);
        Assert.Contains("line 4", error.Message);
    }

    [Fact]
    public void An_unclosed_flow_sequence_is_reported_as_a_syntax_error()
    {
        var error = Assert.Single(TestWorkflows.Refuse("id: broken\nsteps: [a, b\nname: x\n"));

        Assert.StartsWith("YAML syntax error", error.Message);
    }

    [Fact]
    public void Duplicate_yaml_keys_are_a_syntax_error()
    {
        var error = Assert.Single(TestWorkflows.Refuse("id: one\nid: two\n"));

        Assert.Equal("bad.yaml: YAML syntax error at line 2, column 1: Duplicate key id", error.ToString());
    }

    [Fact]
    public void Choice_fields_need_options_and_other_fields_may_not_have_them()
    {
        var yaml = Header.Replace(
            "steps:",
            "  - { key: size, label: { zh: 规模, en: Size }, type: choice }\n"
            + "  - { key: note, label: { zh: 备注, en: Note }, type: text, options: [a] }\nsteps:");

        var messages = TestWorkflows.Refuse(yaml).Select(error => error.ToString()).ToList();

        Assert.Equal(
            [
                "bad.yaml: field 'size': a choice field needs 'options' with at least one value",
                "bad.yaml: field 'note': 'options' are only allowed on choice fields",
            ],
            messages);
    }

    [Fact]
    public void Ids_keys_kinds_and_types_must_be_well_formed()
    {
        var errors = TestWorkflows.Refuse(
            """
            id: Sample_Flow
            name: { zh: 示例, en: Sample }
            form:
              - { key: id-number, label: { zh: 号, en: No }, type: text }
              - { key: size, label: { zh: 大小, en: Size }, type: integer }
            steps:
              - { id: Land, name: { zh: 房, en: Land }, department: land, kind: manual, required: yes }
            """);

        var messages = errors.Select(error => error.ToString()).ToList();
        Assert.Contains("bad.yaml: id 'Sample_Flow' must be lowercase kebab-case, e.g. identity-change", messages);
        Assert.Contains(messages, message => message.StartsWith("bad.yaml: field 'id-number': key must be a camelCase identifier"));
        Assert.Contains(messages, message => message.StartsWith("bad.yaml: field 'size': unknown type 'integer'"));
        Assert.Contains("bad.yaml: step 'Land': step id must be lowercase kebab-case, e.g. real-estate", messages);
        Assert.Contains("bad.yaml: step 'Land': unknown kind 'manual'; use review, automated, wait, notify or triage", messages);
        Assert.Contains(messages, message => message.StartsWith("bad.yaml: step 'Land': unknown key 'required'"));
    }

    [Fact]
    public void Every_problem_in_a_file_is_reported_at_once()
    {
        var errors = TestWorkflows.Refuse(
            Header + """
              - { id: a, name: { zh: 甲, en: A }, department: nowhere, sees: [phone] }
              - { id: b, name: { zh: 乙, en: B }, department: land, needs: [ghost], sla: forever, when: "hasKid" }
            """);

        Assert.Equal(
            [
                "bad.yaml: step 'a': unknown department 'nowhere'",
                "bad.yaml: step 'a': unknown field 'phone' in sees",
                "bad.yaml: step 'b': bad sla: 'forever' is not a valid SLA; write e.g. '3 workdays', '4 workhours', '30m', '4h' or '2d'",
                "bad.yaml: step 'b': needs unknown step 'ghost'",
                "bad.yaml: step 'b': unknown field 'hasKid' in when",
            ],
            errors.Select(error => error.ToString()));
    }

    [Fact]
    public void A_when_starting_with_an_exclamation_mark_must_be_quoted()
    {
        var error = Assert.Single(TestWorkflows.Refuse(
            WithStep("- { id: land, name: { zh: 房, en: Land }, department: land, when: !hasSchoolAgeChild }")));

        Assert.Equal("land", error.Step);
        Assert.Contains("quote the value", error.Message);
    }

    [Fact]
    public void The_exception_message_lists_every_error_on_its_own_line()
    {
        var exception = Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.Parse(
            Header + "  - { id: a, name: { zh: 甲, en: A }, department: nowhere, sees: [phone] }\n", "x.yaml", TestWorkflows.Departments));

        Assert.Equal(
            "x.yaml: step 'a': unknown department 'nowhere'\nx.yaml: step 'a': unknown field 'phone' in sees",
            exception.Message);
    }

    [Fact]
    public void The_content_hash_ignores_line_ending_style()
    {
        var lf = WorkflowLoader.Parse(Header, "a.yaml", TestWorkflows.Departments);
        var crlf = WorkflowLoader.Parse(Header.Replace("\n", "\r\n"), "a.yaml", TestWorkflows.Departments);
        var changed = WorkflowLoader.Parse(Header.Replace("Sample", "Sample 2"), "a.yaml", TestWorkflows.Departments);

        Assert.Equal(lf.ContentHash, crlf.ContentHash);
        Assert.NotEqual(lf.ContentHash, changed.ContentHash);
        Assert.Equal(Header.Replace("\n", "\r\n"), crlf.SourceText);
    }

    [Fact]
    public void Values_of_the_wrong_shape_are_refused_with_their_line()
    {
        var errors = TestWorkflows.Refuse(
            """
            id: shapes
            name: { zh: 形状, en: Shapes }
            steps:
              - id: a
                name: 只有中文
                department: [registry]
                needs: { b: 1 }
            """);

        Assert.Equal(
            [
                "bad.yaml: step 'a': 'name' must give a Chinese and an English text, e.g. { zh: 户籍变更, en: Household registration change } (line 5)",
                "bad.yaml: step 'a': 'department' must be a single value, not a list (line 6)",
                "bad.yaml: step 'a': 'needs' must be a list, not a mapping (line 7)",
            ],
            errors.Select(error => error.ToString()));
    }

    [Fact]
    public void A_file_that_is_not_a_mapping_is_refused()
    {
        Assert.Equal(
            "bad.yaml: the file must be a mapping of keys to values (line 1)",
            Assert.Single(TestWorkflows.Refuse("- a\n- b\n")).ToString());
        Assert.Equal("bad.yaml: the file is empty", Assert.Single(TestWorkflows.Refuse("# nothing here\n")).ToString());
    }
}
