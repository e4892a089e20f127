namespace OneThing.Engine.Tests;

public class DepartmentCatalogueTests
{
    [Fact]
    public void Departments_are_found_by_code()
    {
        var catalogue = DepartmentCatalogue.Parse(
            """
            departments:
              - code: tax
                name: { zh: 税务局, en: Taxation Bureau }
              - code: bank
                name: { zh: 开户银行, en: Account Bank }
            """,
            "departments.yaml");

        Assert.Equal(["tax", "bank"], catalogue.All.Select(department => department.Code));
        Assert.Equal(new Department("bank", new LocalizedText("开户银行", "Account Bank")), catalogue.Find("bank"));
        Assert.True(catalogue.Contains("tax"));
        Assert.False(catalogue.Contains("Tax"));
        Assert.Null(catalogue.Find("police"));
    }

    [Fact]
    public void A_duplicate_code_is_refused()
    {
        var exception = Assert.Throws<WorkflowValidationException>(() => DepartmentCatalogue.Parse(
            """
            departments:
              - { code: tax, name: { zh: 税务局, en: Taxation Bureau } }
              - { code: tax, name: { zh: 税务, en: Tax } }
            """,
            "departments.yaml"));

        Assert.Equal("departments.yaml: duplicate department code 'tax'", Assert.Single(exception.Errors).ToString());
    }

    [Fact]
    public void A_department_without_names_is_refused()
    {
        var exception = Assert.Throws<WorkflowValidationException>(() => DepartmentCatalogue.Parse(
            """
            departments:
              - { code: tax }
              - { code: bank, name: { zh: 开户银行 } }
            """,
            "departments.yaml"));

        Assert.Equal(
            [
                "departments.yaml: department 'tax': missing required key 'name'",
                "departments.yaml: department 'bank': name: missing required key 'en'",
            ],
            exception.Errors.Select(error => error.ToString()));
    }
}
