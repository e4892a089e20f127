using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class RatingsPageTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task A_supervisor_sees_a_very_dissatisfied_rating_under_the_department_and_the_matter_with_its_rectification_not_yet_on_time()
    {
        var caseNumber = await EndedHiringCaseAsync();
        var rated = await Page.APIRequest.PostAsync($"/api/public/cases/{caseNumber}/rating",
            new() { DataObject = new { phoneLast4 = "5678", level = "very-dissatisfied", comment = "登记信息填错两次" } });
        Assert.Equal(201, rated.Status);

        await SignInAsAsync("supervisor");
        await Page.OpenAsync("/supervisor");
        await Page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "好差评" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("好差评");
        var matter = Page.GetByTestId("by-matter").Locator("tbody tr").Filter(new() { HasText = "员工招聘" });
        await Expect(matter).ToHaveCountAsync(1);
        await Expect(matter).ToContainTextAsync("0%（0/1）");
        await Expect(Page.GetByTestId("by-matter").Locator("thead")).ToContainTextAsync("非常不满意");
        await Expect(Page.GetByTestId("by-department").Locator("tbody tr").Filter(new() { HasText = "税务局" })).ToHaveCountAsync(1);
        await Page.ScreenshotAsync("supervisor-ratings");
    }

    /// <summary>员工招聘 without a housing fund is answered by the departments' systems alone, so it ends by itself.</summary>
    private async Task<string> EndedHiringCaseAsync()
    {
        var form = JsonSerializer.SerializeToElement(new
        {
            creditCode = "91330205MA2H7K8L1N", employeeName = "周晓雯", employeeId = "11010519491231002X", employeePhone = "13912345678",
            startDate = "2026-11-20", monthlyWage = 8500, housingFund = false,
        });
        var caseId = await Browser.WithScopeAsync(async services =>
        {
            var result = await services.GetRequiredService<FileCase>().HandleAsync(
                new FileCaseCommand("employee-hiring", form, null, new AuditActor("clerk", "clerk", "127.0.0.1")), CancellationToken.None);
            Assert.Null(result.Refusal);
            return result.Value!.CaseId;
        });
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var ended = await Browser.WithScopeAsync(services => services.GetRequiredService<OneThingDbContext>().Cases.AsNoTracking()
                .Where(c => c.Id == caseId && c.EndedAt != null).Select(c => c.CaseNumber).SingleOrDefaultAsync());
            if (ended is not null)
            {
                return ended;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The hiring case did not end by itself");
    }
}
