using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Processing.DepartmentTasks;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

/// <summary>
/// axe-core on every page, as each role that may open it sees it, with data on it (a filed case, a task, a supplement
/// asked for, a missed deadline): any serious or critical finding fails, named with its rule, page and elements.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture browser) : BrowserTest(browser)
{
    private static readonly string[] Failing = ["serious", "critical"];
    private readonly List<string> _findings = [];

    [Fact]
    public async Task No_page_has_a_serious_or_critical_axe_finding_for_any_role()
    {
        var (caseId, _) = await Browser.FileIdentityChangeAsync();
        var task = await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        var (waitingId, _) = await Browser.FileIdentityChangeAsync();
        var waitingTask = await Browser.WaitForOpenTaskAsync("household-registration", waitingId);
        var reviewer = Staff.ReviewerActor("household-registration");
        await Browser.WithScopeAsync(services => services.GetRequiredService<RequestSupplement>().HandleAsync(waitingTask.Id, "请补充更名原因",
            reviewer, CancellationToken.None));
        // Past the household step's deadline, so the dashboard has a breach to list and the inbox a red light.
        Browser.Clock.Set(new DateTimeOffset(2026, 11, 25, 10, 0, 0, BrowserFixture.BeijingOffset));

        // Sign-in is a plain HTTP form (it sets the cookie), never interactive.
        await Page.GotoAsync("/signin");
        await CheckAsync("/signin");
        await ScanAsync("/not-found");

        await SignInAsAsync("clerk");
        await ScanAsync("/");
        await ScanAsync("/clerk");
        foreach (var workflow in new[] { "identity-change", "enterprise-opening", "fire-lane-blockage", "cooking-fume-nuisance",
                     "hazardous-chemicals", "elderly-water-alert" })
        {
            await ScanAsync($"/clerk/file/{workflow}");
        }

        // The form again with every error showing, as after an empty submit.
        await Page.GetByRole(AriaRole.Button, new() { Name = "提交受理" }).ClickAsync();
        await Expect(Page.Locator(".field-error").First).ToBeVisibleAsync();
        await CheckAsync("/clerk/file/elderly-water-alert (errors shown)");
        await ScanAsync("/clerk/cases");
        await ScanAsync($"/clerk/cases/{caseId}/receipt");
        await ScanAsync($"/clerk/cases/{waitingId}/supplement");
        await ScanAsync($"/cases/{caseId}");

        await SignInAsAsync("reviewer.household-registration");
        await ScanAsync("/reviewer");
        await ScanAsync("/reviewer/household-registration");
        await ScanAsync($"/reviewer/household-registration/tasks/{task.Id}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "认领" }).ClickAsync();
        await Expect(Page.GetByTestId("task-state")).ToHaveTextAsync("办理中");
        await CheckAsync("task page, claimed (decision form)");
        await ScanAsync($"/cases/{caseId}");

        await SignInAsAsync("supervisor");
        await ScanAsync("/supervisor");
        await ScanAsync("/reviewer");
        await ScanAsync("/reviewer/household-registration");
        await ScanAsync($"/reviewer/household-registration/tasks/{task.Id}");
        await ScanAsync($"/cases/{waitingId}");
        await ScanAsync("/supervisor/incidents");
        await ScanAsync("/supervisor/screen");
        await ScanAsync("/audit");
        await ScanAsync("/workflows");
        await ScanAsync("/workflows/identity-change");

        // English too: the switch must not bring back what the Chinese pages fixed.
        await Page.GotoAsync("/language/en?returnUrl=%2Fsupervisor");
        await CheckAsync("/supervisor in English");
        await ScanAsync("/reviewer/household-registration");

        await SignInAsAsync("admin");
        await ScanAsync("/admin/accounts");
        await Page.GetByRole(AriaRole.Button, new() { Name = "变更岗位 clerk", Exact = true }).ClickAsync();
        await CheckAsync("/admin/accounts (changing a role)");
        await ScanAsync("/audit");
        await ScanAsync("/workflows/identity-change");

        Assert.True(_findings.Count == 0, string.Join("\n", _findings));
    }

    [Fact]
    public async Task The_scan_reports_a_control_nested_in_another_as_a_serious_finding()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/clerk");
        await Page.EvaluateAsync("""
            document.querySelector('main').insertAdjacentHTML('beforeend',
                '<div role="radio" aria-checked="false" tabindex="0" aria-label="是"><input type="radio" aria-label="是"></div>')
            """);

        await CheckAsync("/clerk with a nested control");

        Assert.Contains(_findings, finding => finding.Contains("nested-interactive (serious)", StringComparison.Ordinal));
    }

    private async Task ScanAsync(string path)
    {
        await Page.OpenAsync(path);
        await CheckAsync(path);
    }

    private async Task CheckAsync(string where)
    {
        // Lists and charts fill in once the circuit has loaded them; the refresh hint says when that happened.
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var result = await Page.RunAxe();
        foreach (var violation in result.Violations.Where(v => Failing.Contains(v.Impact)))
        {
            var elements = string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html));
            _findings.Add($"{where}: {violation.Id} ({violation.Impact}) {violation.Help}: {elements}");
        }
    }
}
