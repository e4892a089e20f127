using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class ElderlyWaterAlertTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Event = "water-meter-alert";

    /// <summary>The home's grid (illustrative, departments.yaml) and the village it lies in: the visit and the follow-up go to their inboxes.</summary>
    private const string Grid = "yongjiang-waicao-01", Community = "yongjiang-waicao";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;


    [Fact]
    public async Task The_family_is_told_at_once_and_a_safe_visit_closes_the_alert()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportWaterAlertAsync(source: "meter-gateway"), HttpStatusCode.Created);
        Assert.Equal("sent", ApiClient.Step(opened, "tell-family").Outcome);
        Assert.Equal("135****5678", Assert.Single(opened.Notifications).Address);
        await _api.WaitForCaseAsync(opened.Id, c => c.Notifications.Single().DeliveredAt is not null, "the family notification to be delivered");

        var visit = await _api.WaitForTaskAsync(Grid, opened.Id);
        Assert.Equal(["safe", "family-confirmed-safe", "needs-help", "no-contact"], visit.Outcomes);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(visit.Id, "safe", comment: "老人外出探亲，已电话确认"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed", "the alert to close");
        Assert.Equal("skipped", ApiClient.Step(closed, "community").State);
        Assert.Equal("skipped", ApiClient.Step(closed, "emergency-medical").State);
        Assert.Equal("skipped", ApiClient.Step(closed, "on-duty").State);
        Assert.Equal(["tell-family", "tell-family-result"], closed.Notifications.Select(n => n.StepId).Order());
    }

    [Fact]
    public async Task The_family_answering_that_the_elder_is_safe_stands_the_visit_down_and_nobody_else_is_sent()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportWaterAlertAsync(), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.ApproveWithAsync((await _api.WaitForTaskAsync(Grid, opened.Id)).Id, "family-confirmed-safe", comment: "女儿来电：老人在家，水管已关"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed", "the alert to close");
        Assert.All(new[] { "community", "emergency-medical", "police-station", "civil-affairs" },
            step => Assert.Equal("skipped", ApiClient.Step(closed, step).State));
    }

    [Fact]
    public async Task No_contact_brings_the_police_station_to_force_entry_with_the_community_and_civil_affairs_follows_up_but_no_ambulance()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportWaterAlertAsync(), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync(Grid, opened.Id)).Id, "no-contact"));

        var entry = await _api.WaitForTaskAsync("police-station", opened.Id);
        var community = await _api.WaitForTaskAsync(Community, opened.Id);
        Assert.Equal("skipped", ApiClient.Step(await _api.GetCaseAsync(opened.Id), "emergency-medical").State);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(entry.Id, "entered-safe"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(community.Id, "老人摔倒后已扶起，家属赶到"));
        var followUp = await _api.WaitForTaskAsync("civil-affairs", opened.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(followUp.Id, "纳入重点关爱名单"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed", "the alert to close");
        Assert.Equal("entered-safe", ApiClient.Step(closed, "police-station").Outcome);
    }

    [Fact]
    public async Task A_repeated_alert_joins_the_open_case_a_retried_one_counts_once_and_a_silent_grid_worker_goes_to_the_person_on_duty_not_to_120()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportWaterAlertAsync(idempotencyKey: "WM-330205-00871-20260310T1000"), HttpStatusCode.Created);
        var retried = await ApiClient.CaseOf(await _api.ReportWaterAlertAsync(idempotencyKey: "WM-330205-00871-20260310T1000"), HttpStatusCode.OK);
        var again = await ApiClient.CaseOf(await _api.ReportWaterAlertAsync(idempotencyKey: "WM-330205-00871-20260310T1005"), HttpStatusCode.OK);
        Assert.Equal(opened.Id, retried.Id);
        Assert.Equal(1, retried.Incident!.ReportCount);
        Assert.Equal(opened.Id, again.Id);
        Assert.Equal(2, again.Incident!.ReportCount);
        await _api.WaitForTaskAsync(Grid, opened.Id);

        _clock.Set(CatalogueHost.WorkingMorning.AddMinutes(31));
        await _host.SweepAsync();

        var escalated = await _api.GetCaseAsync(opened.Id);
        Assert.Equal("breached", ApiClient.Step(escalated, "visit").Outcome);
        Assert.Equal("active", ApiClient.Step(escalated, "on-duty").State);
        Assert.NotEqual("active", ApiClient.Step(escalated, "emergency-medical").State);
        Assert.Contains(escalated.Notifications, n => n.Recipient == "clerk");

        var duty = await _api.WaitForTaskAsync("eldercare-duty", opened.Id);
        Assert.Equal(["send-community", "call-120", "forced-entry", "stand-down"], duty.Outcomes);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(duty.Id, "call-120", comment: "家属电话无人接听，老人有心脏病史"));
        var ambulance = await _api.WaitForTaskAsync("emergency-medical", opened.Id);
        Assert.Equal("15m", ambulance.Deadline.Sla);
    }

    [Fact]
    public async Task An_alert_names_only_the_meter_and_the_case_form_is_completed_from_the_register_and_routed_to_the_elders_own_grid()
    {
        var civilAffairs = _api.Reviewer("civil-affairs");
        var enrolled = await civilAffairs.PostAsJsonAsync("/api/elder-register",
            new { meterId = "WM-9", name = "王阿公", address = "江北区甬江街道外漕村7号", grid = "yongjiang-waicao-02", familyPhone = "13600001111" });
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);

        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, ApiClient.WaterAlert("WM-9")), HttpStatusCode.Created);
        Assert.Equal("王阿公", opened.Form.GetProperty("residentName").GetString());
        Assert.Equal("yongjiang-waicao-02", opened.Form.GetProperty("grid").GetString());
        Assert.Equal("136****1111", Assert.Single(opened.Notifications).Address);
        Assert.Equal("visit", (await _api.WaitForTaskAsync("yongjiang-waicao-02", opened.Id)).StepId);
        var reported = await _host.WithDbAsync(db => db.IncidentReports.Where(r => r.CaseId == opened.Id).Select(r => r.Form).SingleAsync());
        Assert.DoesNotContain("王阿公", reported);
        Assert.DoesNotContain("13600001111", reported);
    }

    [Fact]
    public async Task An_unknown_meter_is_refused_as_not_found_and_a_report_that_carries_the_elders_details_is_refused()
    {
        var unknown = await _api.ReportAsync(Event, ApiClient.WaterAlert("WM-NOBODY"));
        await _api.EnrolElderAsync();
        var carrying = await _api.ReportAsync(Event, new { meterId = ApiClient.WaterMeter, alertType = "no-use", residentName = "洪阿婆" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("WM-NOBODY", (await ApiClient.ProblemAsync(unknown)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, carrying.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(carrying)).GetProperty("errors").TryGetProperty("form.residentName", out _));
        Assert.Equal(0, await _host.WithDbAsync(db => db.Cases.CountAsync()));
    }

    [Fact]
    public async Task An_ended_enrolment_refuses_the_meters_alerts_with_a_clear_problem()
    {
        await _api.EnrolElderAsync();
        var admin = _api.As(Staff.Admin);
        var noReason = await admin.PostAsJsonAsync($"/api/elder-register/{ApiClient.WaterMeter}/end", new { reason = "" });
        var ended = await admin.PostAsJsonAsync($"/api/elder-register/{ApiClient.WaterMeter}/end", new { reason = "已入住养老院" });
        var again = await admin.PostAsJsonAsync($"/api/elder-register/{ApiClient.WaterMeter}/end", new { reason = "已入住养老院" });

        var refused = await _api.ReportAsync(Event, ApiClient.WaterAlert());

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("ended", (await ApiClient.ProblemAsync(refused)).GetProperty("detail").GetString());
        Assert.Equal(0, await _host.WithDbAsync(db => db.Cases.CountAsync()));
    }

    [Fact]
    public async Task The_register_is_kept_by_civil_affairs_and_admins_lists_masked_reads_one_in_full_with_an_audit_row_and_refuses_bad_input()
    {
        var admin = _api.As(Staff.Admin);
        var bad = await admin.PostAsJsonAsync("/api/elder-register", new { meterId = "bad id!", name = "", grid = "atlantis", familyPhone = "123" });
        var byOtherDepartment = await _api.Reviewer("household-registration").GetAsync("/api/elder-register");
        var byClerk = await _api.Http.GetAsync("/api/elder-register");
        await _api.EnrolElderAsync();
        var duplicate = await admin.PostAsJsonAsync("/api/elder-register",
            new { meterId = ApiClient.WaterMeter, name = "洪阿婆", address = "外漕村12号", grid = Grid, familyPhone = "13512345678" });
        var updated = await _api.Reviewer("civil-affairs").PutAsJsonAsync($"/api/elder-register/{ApiClient.WaterMeter}",
            new { name = "洪阿婆", address = "江北区甬江街道外漕村14号", grid = "yongjiang-waicao-02", familyPhone = "13512345678" });
        var missing = await admin.PutAsJsonAsync("/api/elder-register/WM-NONE", new { name = "x", address = "y", grid = Grid, familyPhone = "13512345678" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ApiClient.ProblemAsync(bad)).GetProperty("errors");
        Assert.All(new[] { "form.meterId", "form.name", "form.address", "form.grid", "form.familyPhone" }, key => Assert.True(errors.TryGetProperty(key, out _), key));
        Assert.Equal(HttpStatusCode.Forbidden, byOtherDepartment.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byClerk.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/elder-register?active=true");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("洪**", item.GetProperty("name").GetString());
        Assert.Equal("135****5678", item.GetProperty("familyPhone").GetString());
        var full = await admin.GetFromJsonAsync<JsonElement>($"/api/elder-register/{ApiClient.WaterMeter}");
        Assert.Equal("江北区甬江街道外漕村14号", full.GetProperty("address").GetString());
        Assert.Equal("yongjiang-waicao-02", full.GetProperty("grid").GetString());
        Assert.Equal(1, await _host.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "personal-data-read" && a.TargetId == ApiClient.WaterMeter)));
    }
}
