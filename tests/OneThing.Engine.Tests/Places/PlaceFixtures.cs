namespace OneThing.Engine.Tests;

/// <summary>A small territory: one street with a community of two grids, and a second street with one community.</summary>
internal static class PlaceFixtures
{
    public static readonly DepartmentCatalogue Departments = DepartmentCatalogue.Parse(
        """
        departments:
          - { code: property, name: { zh: 物业, en: Property } }
          - { code: fire, name: { zh: 消防, en: Fire } }
        units:
          - { code: yongjiang, role: street, name: { zh: 甬江街道, en: Yongjiang } }
          - { code: waicao, role: community, parent: yongjiang, name: { zh: 外漕村, en: Waicao } }
          - { code: waicao-01, role: grid, parent: waicao, name: { zh: 外漕村第1网格, en: Waicao grid 1 } }
          - { code: waicao-02, role: grid, parent: waicao, name: { zh: 外漕村第2网格, en: Waicao grid 2 } }
          - { code: cicheng, role: street, name: { zh: 慈城镇, en: Cicheng } }
          - { code: maoao, role: community, parent: cicheng, name: { zh: 毛岙村, en: Maoao } }
        """,
        "departments.yaml");

    /// <summary>The grid visits, the community follows up when the grid finds help is needed, the street closes.</summary>
    public const string GridVisit =
        """
        id: grid-visit
        name: { zh: 网格上门, en: Grid visit }
        form:
          - { key: grid, label: { zh: 网格, en: Grid }, type: text, required: true, place: grid }
        steps:
          - { id: visit, name: { zh: 上门, en: Visit }, place: { role: grid, field: grid }, outcomes: [safe, needs-help] }
          - { id: follow-up, name: { zh: 社区跟进, en: Follow-up }, place: { role: community, field: grid }, needs: [visit], when: "steps.visit.outcome == 'needs-help'" }
          - { id: close, name: { zh: 街道销号, en: Street closes }, place: { role: street, field: grid }, needs: [follow-up] }
        """;

    /// <summary>An incident: persuasion first; fire inspects when the case has 3 reports or the place 3 cases in 90 days.</summary>
    public const string RepeatSpot =
        """
        id: repeat-spot
        name: { zh: 反复点位, en: Repeat spot }
        incident: { event: lane-blocked, place: location, place_code: pointCode, merge_window: 2h }
        form:
          - { key: location, label: { zh: 位置, en: Location }, type: text, required: true }
          - { key: pointCode, label: { zh: 点位编码, en: Point code }, type: text }
        steps:
          - { id: persuade, name: { zh: 劝离, en: Persuade }, department: property }
          - { id: inspect, name: { zh: 消防检查, en: Inspect }, department: fire, needs: [persuade], when: "case.reports >= 3" }
          - { id: history, name: { zh: 历史点位, en: Repeat place }, department: fire, needs: [persuade], when: "place.cases90d >= 3" }
          - { id: wrap-up, name: { zh: 归档, en: Wrap up }, department: property, needs: [persuade] }
        """;

    public static WorkflowDefinition Parse(string yaml) => WorkflowLoader.Parse(yaml, "places.yaml", Departments).Definition;

    public static IReadOnlyList<string> Refuse(string yaml) =>
        Assert.Throws<WorkflowValidationException>(() => WorkflowLoader.Parse(yaml, "bad.yaml", Departments)).Errors.Select(e => e.ToString()).ToList();

    public static IReadOnlyList<string> RefuseCatalogue(string yaml) =>
        Assert.Throws<WorkflowValidationException>(() => DepartmentCatalogue.Parse(yaml, "departments.yaml")).Errors.Select(e => e.ToString()).ToList();
}
