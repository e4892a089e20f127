using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Cases;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing;
using OneThing.Processing.Accounts;
using OneThing.Processing.Attachments;

namespace OneThing.Api.Tests;

/// <summary>
/// Files are uploaded first and referenced by id when filing or supplementing: checked by their first bytes, kept in
/// PostgreSQL with their SHA-256, and opened only by those who may see the field they belong to, every time audited.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class AttachmentTests(PostgresServer postgres, SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string OtherHall = "clerk.other-hall";
    private const string Household = "household-registration";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync()
    {
        (_host, _api, _clock) = await catalogue.StartTestAsync();
        await _api.As(Staff.Admin).PostAsJsonAsync("/api/accounts",
            new { userName = OtherHall, password = Staff.DemoPassword, role = Roles.Clerk, hall = "another-hall" });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("联办申请表.pdf", "application/pdf")]
    [InlineData("申请表照片.jpg", "image/jpeg")]
    [InlineData("scan.PNG", "image/png")]
    public async Task A_PDF_JPEG_or_PNG_upload_is_stored_with_its_SHA_256(string fileName, string contentType)
    {
        var content = SampleFiles.Of(contentType, size: 300_000);

        var response = await _api.UploadAsync(fileName, contentType, content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Equal(sha256, body.GetProperty("sha256").GetString());
        Assert.Equal(contentType, body.GetProperty("contentType").GetString());
        Assert.Equal(fileName, body.GetProperty("fileName").GetString());
        Assert.Equal(content.Length, body.GetProperty("size").GetInt64());
        var id = body.GetProperty("attachmentId").GetGuid();
        var stored = await _host.WithDbAsync(db => db.AttachmentContents.SingleAsync(c => c.AttachmentId == id));
        Assert.Equal(content, stored.Content);
        Assert.Null((await _host.WithDbAsync(db => db.Attachments.SingleAsync(a => a.Id == id))).CaseId);
    }

    /// <summary>Each file as its first bytes' kind and its size, built in the test: theory data this large would be serialised at discovery.</summary>
    public static TheoryData<string, string?, string, int, HttpStatusCode, string> BadFiles() => new()
    {
        { "photo.png", "image/png", "application/pdf", 2_000, HttpStatusCode.BadRequest, "declared as image/png but its content is application/pdf" },
        { "photo.png", null, "application/pdf", 2_000, HttpStatusCode.BadRequest, "extension does not match its content" },
        { "申请表.pdf", "application/pdf", "application/x-msdownload", 4_000, HttpStatusCode.BadRequest, "not a PDF, JPEG or PNG" },
        { "empty.pdf", "application/pdf", "application/pdf", 0, HttpStatusCode.BadRequest, "The file is empty" },
        { "big.jpg", "image/jpeg", "image/jpeg", 10 * 1024 * 1024 + 1, HttpStatusCode.RequestEntityTooLarge, "at most 10 MiB" },
        { "huge.jpg", "image/jpeg", "image/jpeg", 11 * 1024 * 1024, HttpStatusCode.RequestEntityTooLarge, "larger than the limit" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_file_that_is_not_what_it_claims_empty_or_too_large_is_refused_with_a_problem_and_nothing_is_stored(
        string fileName, string? declaredType, string realType, int size, HttpStatusCode expected, string message)
    {
        var response = await _api.UploadAsync(fileName, declaredType, SampleFiles.Of(realType, size));

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(message, (await ApiClient.ProblemAsync(response)).GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, await _host.WithDbAsync(db => db.Attachments.CountAsync()));
        Assert.Equal(0, await _host.WithDbAsync(db => db.AttachmentContents.CountAsync()));
    }

    [Fact]
    public async Task A_body_that_is_not_a_multipart_upload_is_refused_with_a_problem()
    {
        var json = await _api.Http.PostAsJsonAsync("/api/attachments", new { fileName = "a.pdf" });
        var noFilePart = await _api.Http.PostAsync("/api/attachments", new MultipartFormDataContent { { new StringContent("x"), "note" } });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noFilePart.StatusCode);
        Assert.Contains("no file part named", (await ApiClient.ProblemAsync(noFilePart)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Filing_with_an_upload_binds_it_to_the_case_and_the_form_holds_its_stored_description()
    {
        var content = SampleFiles.Of("image/jpeg", 50_000);
        var id = await _api.UploadedAsync("联办申请表.jpg", "image/jpeg", content);

        // What the request says of the file beyond its id is replaced by what was stored.
        var filed = await FileWithAsync(new { attachmentId = id, fileName = "other.pdf", size = 1 });

        var value = filed.Form.GetProperty("applicationForm");
        Assert.Equal(id, value.GetProperty("attachmentId").GetGuid());
        Assert.Equal("联办申请表.jpg", value.GetProperty("fileName").GetString());
        Assert.Equal("image/jpeg", value.GetProperty("contentType").GetString());
        Assert.Equal(content.Length, value.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), value.GetProperty("sha256").GetString());
        var row = await _host.WithDbAsync(db => db.Attachments.SingleAsync(a => a.Id == id));
        Assert.Equal((filed.Id, "applicationForm"), (row.CaseId!.Value, row.Field!));
    }

    [Fact]
    public async Task An_upload_used_by_another_case_another_clerks_upload_an_unknown_id_or_a_file_never_uploaded_is_refused_naming_the_field()
    {
        var id = await _api.UploadedAsync("申请表.pdf", "application/pdf", SampleFiles.Of("application/pdf", 1_000));
        await FileWithAsync(new { attachmentId = id });
        var othersUpload = await _api.UploadedAsync("申请表.pdf", "application/pdf", SampleFiles.Of("application/pdf", 1_000), OtherHall);

        var refusals = new[]
        {
            await PostFilingAsync(new { attachmentId = id }),
            await PostFilingAsync(new { attachmentId = othersUpload }),
            await PostFilingAsync(new { attachmentId = Guid.NewGuid() }),
            await PostFilingAsync(new { fileName = "申请表.pdf", contentType = "application/pdf", size = 1000 }),
        };

        foreach (var refused in refusals)
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await ApiClient.ProblemAsync(refused);
            Assert.True(problem.GetProperty("errors").TryGetProperty("form.applicationForm", out _), problem.GetRawText());
        }

        Assert.Equal(1, await _host.WithDbAsync(db => db.Cases.CountAsync()));
        Assert.Null((await _host.WithDbAsync(db => db.Attachments.SingleAsync(a => a.Id == othersUpload))).CaseId);
    }

    [Fact]
    public async Task The_reviewer_of_a_step_that_sees_the_field_downloads_the_exact_bytes_and_the_download_is_audited()
    {
        var content = SampleFiles.Of("image/png", 120_000);
        var id = await _api.UploadedAsync("申请表.png", "image/png", content);
        var filed = await FileWithAsync(new { attachmentId = id });
        await _api.WaitForTaskAsync(Household, filed.Id);

        var response = await _api.Reviewer(Household).GetAsync($"/api/cases/{filed.Id}/attachments/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("申请表.png", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var audited = await _host.WithDbAsync(db => db.AuditEntries
            .Where(e => e.Action == "attachment-downloaded" && e.TargetId == filed.Id.ToString()).ToListAsync());
        var entry = Assert.Single(audited);
        Assert.Equal(Staff.Reviewer(Household), entry.Actor);
        Assert.Contains(id.ToString(), entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("申请表", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Those_who_may_not_see_the_field_get_the_same_404_as_for_a_missing_file_and_the_refusal_is_audited()
    {
        var id = await _api.UploadedAsync("申请表.pdf", "application/pdf", SampleFiles.Of("application/pdf", 1_000));
        var filed = await FileWithAsync(new { attachmentId = id });
        await _api.WaitForTaskAsync(Household, filed.Id);
        var path = $"/api/cases/{filed.Id}/attachments/{id}";

        // Education sees no application form; social security sees it, but its step has not started yet.
        var refused = new[] { _api.Reviewer("education"), _api.Reviewer("social-security"), _api.As(OtherHall) };
        foreach (var client in refused)
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("Not found", (await ApiClient.ProblemAsync(response)).GetProperty("title").GetString());
        }

        var missing = await _api.Reviewer(Household).GetAsync($"/api/cases/{filed.Id}/attachments/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.As(Staff.Admin).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.As(Staff.Supervisor).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync(path)).StatusCode);
        Assert.Equal(3, await _host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == "attachment-download-refused" && e.TargetId == filed.Id.ToString())));
    }

    [Fact]
    public async Task A_supplement_replaces_a_file_and_adds_materials_that_only_the_reviewers_who_asked_open()
    {
        var first = await _api.UploadedAsync("申请表.pdf", "application/pdf", SampleFiles.Of("application/pdf", 1_000));
        var filed = await FileWithAsync(new { attachmentId = first });
        var task = await _api.WaitForTaskAsync(Household, filed.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ClaimAsync(task.Id));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RequestSupplementAsync(task.Id, "申请表不清晰，请重新拍照"));
        await _api.WaitForCaseAsync(filed.Id, c => c.AwaitingSupplement, "the case waiting for a supplement");
        var replacement = SampleFiles.Of("image/jpeg", 2_000);
        var second = await _api.UploadedAsync("申请表重拍.jpg", "image/jpeg", replacement);
        var material = await _api.UploadedAsync("户口簿.png", "image/png", SampleFiles.Of("image/png", 3_000));

        var supplemented = await ApiClient.CaseOf(await _api.SubmitSupplementAsync(filed.Id,
            new { form = new { applicationForm = new { attachmentId = second } }, attachments = new[] { new { attachmentId = material } } }), HttpStatusCode.OK);

        Assert.Equal("申请表重拍.jpg", supplemented.Form.GetProperty("applicationForm").GetProperty("fileName").GetString());
        var stored = await _host.WithDbAsync(db => db.Supplements.Select(s => s.Attachments).SingleAsync());
        Assert.Contains("户口簿.png", JsonDocument.Parse(stored).RootElement[0].GetProperty("fileName").GetString(), StringComparison.Ordinal);
        var asker = _api.Reviewer(Household);
        Assert.Equal(replacement, await asker.GetByteArrayAsync($"/api/cases/{filed.Id}/attachments/{second}"));
        Assert.Equal(HttpStatusCode.OK, (await asker.GetAsync($"/api/cases/{filed.Id}/attachments/{material}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Reviewer("education").GetAsync($"/api/cases/{filed.Id}/attachments/{material}")).StatusCode);
        var reused = await _api.SubmitSupplementAsync(filed.Id, new { attachments = new[] { new { attachmentId = first } } });
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(reused)).GetProperty("errors").TryGetProperty("form.attachments[0]", out _));
    }

    [Fact]
    public async Task An_upload_no_case_used_within_a_day_is_deleted_and_a_used_one_stays()
    {
        var used = await _api.UploadedAsync("申请表.pdf", "application/pdf", SampleFiles.Of("application/pdf", 1_000));
        var abandoned = await _api.UploadedAsync("申请表.png", "image/png", SampleFiles.Of("image/png", 1_000));
        await FileWithAsync(new { attachmentId = used });
        var purge = _host.Services.GetRequiredService<UnusedUploadPurge>();

        _clock.Set(CatalogueHost.WorkingMorning.AddHours(23));
        Assert.Equal(0, await purge.PurgeAsync(CancellationToken.None));
        _clock.Set(CatalogueHost.WorkingMorning.AddHours(25));
        Assert.Equal(1, await purge.PurgeAsync(CancellationToken.None));

        Assert.Equal([used], await _host.WithDbAsync(db => db.Attachments.Select(a => a.Id).ToListAsync()));
        Assert.Equal([used], await _host.WithDbAsync(db => db.AttachmentContents.Select(a => a.AttachmentId).ToListAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFilingAsync(new { attachmentId = abandoned })).StatusCode);
    }

    [Fact]
    public async Task A_file_the_scanner_refuses_gets_a_422_problem_and_is_not_stored()
    {
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(),
            services: services => services.AddSingleton<IAttachmentScanner>(new RefusingScanner("EICAR test signature")));
        var api = new ApiClient(host);

        var response = await api.UploadAsync("申请表.pdf", "application/pdf", SampleFiles.Of("application/pdf", 1_000));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("EICAR test signature", (await ApiClient.ProblemAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(0, await host.WithDbAsync(db => db.Attachments.CountAsync()));
    }

    private Task<HttpResponseMessage> PostFilingAsync(object applicationForm)
    {
        var form = ApiClient.IdentityChangeForm(Guid.Empty);
        form["applicationForm"] = applicationForm;
        return _api.PostCaseAsync(new { workflowId = "identity-change", form });
    }

    private async Task<CaseResponse> FileWithAsync(object applicationForm) =>
        await ApiClient.CaseOf(await PostFilingAsync(applicationForm), HttpStatusCode.Created);

    /// <summary>A scanner at the boundary we do not own (an antivirus engine), refusing everything.</summary>
    private sealed class RefusingScanner(string reason) : IAttachmentScanner
    {
        public Task<ScanVerdict> ScanAsync(FileToScan file, CancellationToken cancellationToken) => Task.FromResult(new ScanVerdict(reason));
    }
}
