namespace OneThing.Engine.Tests;

public class PlaceLoadingTests
{
    private const string Head =
        """
        id: sample
        name: { zh: 示例, en: Sample }
        form:
          - { key: grid, label: { zh: 网格, en: Grid }, type: text, required: true, place: grid }
          - { key: street, label: { zh: 街道, en: Street }, type: choice, options: [yongjiang, cicheng], required: true, place: street }
          - { key: note, label: { zh: 备注, en: Note }, type: text }
          - { key: spareGrid, label: { zh: 备用网格, en: Spare grid }, type: text, place: grid }
        steps:

        """;

    [Fact]
    public void Units_are_read_with_their_parents_and_each_finds_the_unit_above_it()
    {
        var territory = PlaceFixtures.Departments.Territory;

        Assert.Equal(6, territory.All.Count);
        Assert.Equal(["yongjiang", "cicheng"], territory.Streets.Select(unit => unit.Code));
        Assert.Equal("waicao", territory.Locate("waicao-02", TerritorialRole.Community)?.Code);
        Assert.Equal("yongjiang", territory.StreetOf("waicao-02")?.Code);
        Assert.Equal("waicao-01", territory.Locate("ＷＡＩＣＡＯ－01 ", TerritorialRole.Grid)?.Code);
        Assert.Null(territory.Locate("waicao", TerritorialRole.Grid));
        Assert.Null(territory.Locate("nowhere-01", TerritorialRole.Street));
        Assert.True(PlaceFixtures.Departments.HasInbox("waicao-01"));
        Assert.False(PlaceFixtures.Departments.Contains("waicao-01"));
        Assert.Equal("外漕村第1网格", PlaceFixtures.Departments.Find("waicao-01")?.Name.Zh);
    }

    [Fact]
    public void A_unit_with_a_wrong_parent_an_unknown_role_or_a_department_code_is_refused_naming_the_unit()
    {
        var errors = PlaceFixtures.RefuseCatalogue(
            """
            departments:
              - { code: fire, name: { zh: 消防, en: Fire } }
            units:
              - { code: yongjiang, role: street, name: { zh: 甬江街道, en: Yongjiang } }
              - { code: lost, role: community, name: { zh: 无街道社区, en: Lost } }
              - { code: skipping, role: grid, parent: yongjiang, name: { zh: 跳级网格, en: Skipping } }
              - { code: orphan, role: grid, parent: ghost, name: { zh: 孤儿网格, en: Orphan } }
              - { code: fire, role: street, name: { zh: 重名, en: Clash } }
              - { code: district, role: county, name: { zh: 区, en: District } }
              - { code: nested, role: street, parent: yongjiang, name: { zh: 嵌套, en: Nested } }
            """);

        Assert.Contains("departments.yaml: unit 'lost': a community needs 'parent': the street it lies in", errors);
        Assert.Contains("departments.yaml: unit 'skipping': parent 'yongjiang' is a street; a grid lies in a community", errors);
        Assert.Contains("departments.yaml: unit 'orphan': parent names unknown unit 'ghost'", errors);
        Assert.Contains("departments.yaml: unit 'fire': code is already a department's; an inbox code names one department or one unit", errors);
        Assert.Contains("departments.yaml: unit 'district': unknown role 'county'; use street, community or grid", errors);
        Assert.Contains("departments.yaml: unit 'nested': a street has no parent; remove 'parent'", errors);
    }

    [Fact]
    public void A_step_routed_by_an_unknown_role_or_by_a_field_that_cannot_locate_it_is_refused_at_load()
    {
        var errors = PlaceFixtures.Refuse(Head + """
              - { id: county, name: { zh: 区, en: County }, place: { role: county, field: grid } }
              - { id: by-note, name: { zh: 备注, en: Note }, place: { role: grid, field: note } }
              - { id: by-ghost, name: { zh: 幽灵, en: Ghost }, place: { role: grid, field: ghost } }
              - { id: too-fine, name: { zh: 过细, en: Too fine }, place: { role: grid, field: street } }
              - { id: both, name: { zh: 双重, en: Both }, department: fire, place: { role: grid, field: grid } }
              - { id: system, name: { zh: 系统, en: System }, kind: automated, place: { role: grid, field: grid } }
              - { id: optional, name: { zh: 可选, en: Optional }, place: { role: grid, field: spareGrid } }
              - { id: nowhere, name: { zh: 无处, en: Nowhere } }
            """);

        Assert.Contains("bad.yaml: step 'county': place: unknown territorial role 'county'; use street, community or grid", errors);
        Assert.Contains("bad.yaml: step 'by-note': place: field 'note' does not name a place; give it place: grid (or community, street)", errors);
        Assert.Contains("bad.yaml: step 'by-ghost': place: field names unknown field 'ghost'", errors);
        Assert.Contains(errors, e => e.StartsWith("bad.yaml: step 'too-fine': place: field 'street' names a street, which lies in no single grid"));
        Assert.Contains("bad.yaml: step 'both': a step goes to a department or to a place, not both; remove 'department' or 'place'", errors);
        Assert.Contains(errors, e => e.StartsWith("bad.yaml: step 'system': only review steps can be routed by place"));
        Assert.Contains("bad.yaml: step 'optional': place: field 'spareGrid' must be required: a task routed by place needs the place", errors);
        Assert.Contains(errors, e => e.StartsWith("bad.yaml: step 'nowhere': ") && e.Contains("department"));
    }

    [Fact]
    public void A_place_field_of_a_wrong_type_or_with_options_that_are_not_units_of_its_role_is_refused()
    {
        var errors = PlaceFixtures.Refuse(
            """
            id: sample
            name: { zh: 示例, en: Sample }
            form:
              - { key: count, label: { zh: 数, en: Count }, type: number, place: grid }
              - { key: village, label: { zh: 村, en: Village }, type: choice, options: [waicao, yongjiang, atlantis], place: community }
              - { key: where, label: { zh: 哪, en: Where }, type: text, place: block }
            steps:
              - { id: a, name: { zh: 甲, en: A }, department: fire }
            """);

        Assert.Contains("bad.yaml: field 'count': a place field must be a text field (a typed code) or a choice field (a list of units)", errors);
        Assert.Contains("bad.yaml: field 'village': option 'yongjiang' is not a community in departments.yaml", errors);
        Assert.Contains("bad.yaml: field 'village': option 'atlantis' is not a community in departments.yaml", errors);
        Assert.DoesNotContain(errors, e => e.Contains("option 'waicao'"));
        Assert.Contains("bad.yaml: field 'where': unknown place 'block'; use street, community or grid", errors);
    }

    [Fact]
    public void Place_history_outside_an_incident_workflow_and_a_bad_place_code_are_refused()
    {
        var noIncident = PlaceFixtures.Refuse(Head + """
              - { id: a, name: { zh: 甲, en: A }, department: fire }
              - { id: b, name: { zh: 乙, en: B }, department: fire, needs: [a], when: "place.cases90d >= 3" }
            """);
        var badCode = PlaceFixtures.Refuse(PlaceFixtures.RepeatSpot.Replace("place_code: pointCode", "place_code: location"));
        var unknownCode = PlaceFixtures.Refuse(PlaceFixtures.RepeatSpot.Replace("place_code: pointCode", "place_code: camera"));

        Assert.Contains(noIncident, e => e.StartsWith("bad.yaml: step 'b': when uses place.cases90d") && e.Contains("no incident section"));
        Assert.Contains("bad.yaml: incident: place_code must be another field than place: the code is preferred to the place's text", badCode);
        Assert.Contains("bad.yaml: incident: place_code names unknown field 'camera'", unknownCode);
    }

    [Fact]
    public void A_place_routed_step_keeps_its_route_and_no_department_and_the_diagram_names_the_role()
    {
        var definition = PlaceFixtures.Parse(PlaceFixtures.GridVisit);
        var followUp = definition.FindStep("follow-up")!;

        Assert.Equal(new PlaceRoute(TerritorialRole.Community, "grid"), followUp.Place);
        Assert.Null(followUp.Department);
        Assert.Equal(TerritorialRole.Grid, definition.FindField("grid")!.Place);
        Assert.Same(PlaceFixtures.Departments.Territory, definition.Territory);
        var diagram = MermaidDiagram.Render(definition, PlaceFixtures.Departments);
        Assert.Contains("社区/村 / community ← grid", diagram);
        Assert.Contains("网格 / grid ← grid", diagram);
    }
}
