using System.Text.RegularExpressions;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class CatalogueGroupsTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task The_catalogue_lists_personal_enterprise_and_governance_matters_under_their_own_headings_and_search_keeps_the_groups()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/clerk");

        await Expect(Page.Locator(".catalogue-group h2")).ToHaveTextAsync(new Regex[] { new("^个人事项"), new("^企业事项"), new("^基层治理") });
        await Expect(Page.Locator("[data-category=personal] .catalogue")).ToContainTextAsync("新生儿出生一件事");
        await Expect(Page.Locator("[data-category=personal] .catalogue")).ToContainTextAsync("个人身后一件事");
        await Expect(Page.Locator("[data-category=enterprise] .catalogue")).ToContainTextAsync("员工招聘");
        await Expect(Page.Locator("[data-category=governance] .catalogue")).ToContainTextAsync("垃圾/秸秆露天焚烧治理");
        await Expect(Page.Locator("[data-category=enterprise] .catalogue")).Not.ToContainTextAsync("新生儿");

        await Page.GetByLabel("搜索事项").FillAsync("社保");
        await Expect(Page.Locator(".catalogue-group h2")).ToHaveTextAsync(new Regex[] { new("^个人事项"), new("^企业事项") });
        await Expect(Page.Locator("[data-category=enterprise] .catalogue li")).ToHaveCountAsync(2);
        await Page.ScreenshotAsync("clerk-catalogue-groups");

        await Page.GetByLabel("搜索事项").FillAsync("焚烧");
        await Expect(Page.Locator(".catalogue li")).ToHaveCountAsync(1);
        await Expect(Page.Locator("[data-category=governance] h2")).ToContainTextAsync("(1)");
    }

    [Fact]
    public async Task Typing_in_the_search_box_filters_the_grouped_catalogue_by_name_and_by_department_in_either_language()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/clerk");

        await Page.GetByLabel("搜索事项").FillAsync("出生");
        await Expect(Page.Locator(".catalogue li")).ToHaveCountAsync(1);
        await Expect(Page.Locator("[data-category=personal] .catalogue")).ToContainTextAsync("新生儿出生");
        await Expect(Page.Locator(".catalogue-group")).ToHaveCountAsync(1);
        await Expect(Page.Locator(".catalogue")).Not.ToContainTextAsync("身份信息");

        await Page.GetByLabel("搜索事项").FillAsync("elderly care platform");
        await Expect(Page.Locator(".catalogue li")).ToHaveCountAsync(1);
        await Expect(Page.Locator("[data-category=governance] .catalogue")).ToContainTextAsync("独居老人智能水表告警");

        await Page.GetByLabel("搜索事项").FillAsync("火山");
        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Status)).ToContainTextAsync("没有符合条件的事项");
    }
}
