using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Processing.Persistence;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class AttachmentTests(BrowserFixture browser) : BrowserTest(browser)
{
    /// <summary>A JPEG as a phone camera writes it: the JFIF start, then image data.</summary>
    private static readonly byte[] Photo = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, .. Enumerable.Range(0, 40_000).Select(i => (byte)(i * 7))];

    [Fact]
    public async Task A_clerk_uploads_a_photo_when_filing_the_receipt_lists_it_and_the_household_reviewer_opens_it_from_the_task_page()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/clerk/file/identity-change");
        await Page.FillIdentityChangeAsync();
        await Page.Locator("#field-applicationForm").SetInputFilesAsync(new FilePayload { Name = "联办申请表照片.jpg", MimeType = "image/jpeg", Buffer = Photo });
        await Expect(Page.Locator(".file-chosen")).ToContainTextAsync("联办申请表照片.jpg (40 KB) 已上传");
        await Page.GetByRole(AriaRole.Button, new() { Name = "提交受理" }).ClickAsync();

        await Expect(Page.Locator("h1")).ToHaveTextAsync("“一件事”联办受理回执");
        await Expect(Page.Locator(".receipt-attachments [data-field=applicationForm]")).ToContainTextAsync("联办申请表（拍照上传）：联办申请表照片.jpg (40 KB)");
        await Page.ScreenshotAsync("receipt-with-attachment");
        var caseId = Guid.Parse(Regex.Match(Page.Url, "/clerk/cases/([0-9a-f-]{36})/receipt").Groups[1].Value);

        var task = await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        await SignInAsAsync("reviewer.household-registration");
        await Page.OpenAsync($"/reviewer/household-registration/tasks/{task.Id}");
        await Page.ScreenshotAsync("reviewer-task-with-attachment");
        var download = await Page.RunAndWaitForDownloadAsync(() =>
            Page.Locator("[data-field=applicationForm]").GetByRole(AriaRole.Link, new() { Name = "联办申请表照片.jpg" }).ClickAsync());

        Assert.Equal("联办申请表照片.jpg", download.SuggestedFilename);
        Assert.Equal(Photo, await File.ReadAllBytesAsync((await download.PathAsync())!));
        Assert.Equal(1, await Browser.WithScopeAsync(services => services.GetRequiredService<OneThingDbContext>().AuditEntries
            .CountAsync(e => e.Action == "attachment-downloaded" && e.Actor == "reviewer.household-registration" && e.TargetId == caseId.ToString())));
    }

    [Fact]
    public async Task A_program_renamed_to_a_photo_is_refused_on_the_form_and_nothing_is_stored()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/clerk/file/identity-change");
        await Page.FillIdentityChangeAsync();

        await Page.Locator("#field-applicationForm").SetInputFilesAsync(new FilePayload
        {
            Name = "申请表.jpg",
            MimeType = "image/jpeg",
            Buffer = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00],
        });

        await Expect(Page.Locator("#field-applicationForm-error")).ToHaveTextAsync("文件内容不是 PDF、JPEG 或 PNG");
        await Expect(Page.Locator("#field-applicationForm")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(0, await Browser.WithScopeAsync(services => services.GetRequiredService<OneThingDbContext>().Attachments.CountAsync()));
    }
}
