using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Web.Shared;
using OneThing.Processing.Workflows;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed partial class ChineseTextTests(BrowserFixture browser) : BrowserTest(browser)
{
    /// <summary>Radzen component families the pages use (their resource keys start with the family's name and "_").</summary>
    private static readonly string[] UsedFamilies =
    [
        "Alert", "Button", "DataGrid", "DatePicker", "Dialog", "DropDown", "FileInput", "Image", "LengthValidator", "Link", "ListBox",
        "Menu", "MenuItem", "Notification", "Numeric", "NumericRangeValidator", "Pager", "Panel", "RegexValidator", "RequiredValidator",
        "Tabs", "Text", "Upload",
    ];

    [Fact]
    public async Task The_catalogue_gives_each_promised_time_in_Chinese_words_and_lists_departments_without_stray_separators()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/clerk");

        var promised = await Page.GetByTestId("promised-within").AllInnerTextsAsync();
        var departments = await Page.GetByTestId("departments").AllInnerTextsAsync();

        var shipped = await Browser.WithScopeAsync(services => Task.FromResult(services.GetRequiredService<WorkflowRegistry>().Latest.Count));
        Assert.Equal(shipped, promised.Count);
        Assert.All(promised, text => Assert.Matches(PromisedInWords(), text));
        Assert.Contains("承诺时限：5 个工作日", promised);
        Assert.Contains("承诺时限：2 小时", promised);
        Assert.All(departments, text => Assert.DoesNotMatch(StraySeparator(), text));
        Assert.Contains(departments, text => text.StartsWith("涉及部门：物业服务企业、", StringComparison.Ordinal));
        await Expect(Page.Locator("main")).Not.ToContainTextAsync("workday");
    }

    [Fact]
    public async Task The_task_page_gives_the_time_allowed_in_words_in_Chinese_and_in_English()
    {
        var (caseId, _) = await Browser.FileIdentityChangeAsync();
        var task = await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        await SignInAsAsync("reviewer.household-registration");

        await Page.OpenAsync($"/reviewer/household-registration/tasks/{task.Id}");
        await Expect(Page.GetByTestId("task-sla")).ToHaveTextAsync("1 个工作日");
        await Page.GotoAsync($"/language/en?returnUrl=%2Freviewer%2Fhousehold-registration%2Ftasks%2F{task.Id}");
        await Page.Locator("main[data-interactive=true]").WaitForAsync();
        await Expect(Page.GetByTestId("task-sla")).ToHaveTextAsync("1 working day");
    }

    [Fact]
    public void Every_Radzen_text_of_the_components_the_pages_use_has_a_Chinese_translation()
    {
        var resources = new ResourceManager("Radzen.Blazor.RadzenStrings", typeof(Radzen.Blazor.RadzenButton).Assembly)
            .GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!;
        var keys = resources.Cast<DictionaryEntry>().Select(e => (string)e.Key)
            .Where(key => UsedFamilies.Contains(key[..key.IndexOf('_', StringComparison.Ordinal)]))
            .ToList();
        var chinese = new RadzenChinese();

        Assert.True(keys.Count > 100, $"only {keys.Count} keys found: has Radzen renamed its resources?");
        Assert.DoesNotContain(keys, key => string.IsNullOrWhiteSpace(chinese.Get(key, new CultureInfo("zh-CN"))));
        Assert.All(keys, key => Assert.Null(chinese.Get(key, new CultureInfo("en"))));
        Assert.Empty(RadzenChinese.Texts.Keys.Except(keys));
    }

    [GeneratedRegex(@"^承诺时限：\d+ (个工作日|个工作小时|小时|分钟|天)$")]
    private static partial Regex PromisedInWords();

    [GeneratedRegex("：、|、、|、$")]
    private static partial Regex StraySeparator();
}
