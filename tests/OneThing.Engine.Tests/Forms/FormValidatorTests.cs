using System.Text.Json;

namespace OneThing.Engine.Tests;

public class FormValidatorTests
{
    private static readonly WorkflowDefinition Definition = TestWorkflows.Parse(
        """
        id: form-sample
        name: { zh: 表单, en: Form }
        form:
          - { key: name, label: { zh: 姓名, en: Name }, type: text, required: true, personal: true }
          - { key: idNumber, label: { zh: 身份证号, en: ID number }, type: idNumber }
          - { key: phone, label: { zh: 手机, en: Mobile }, type: mobile }
          - { key: creditCode, label: { zh: 信用代码, en: Credit code }, type: creditCode }
          - { key: married, label: { zh: 已婚, en: Married }, type: bool }
          - { key: children, label: { zh: 子女数, en: Children }, type: number }
          - { key: movedOn, label: { zh: 迁入日期, en: Moved on }, type: date }
          - { key: channel, label: { zh: 渠道, en: Channel }, type: choice, options: [window, online] }
          - { key: scan, label: { zh: 扫描件, en: Scan }, type: attachment }
        steps:
          - { id: only, name: { zh: 唯一, en: Only }, department: registry }
        """);

    private static (FormData? Form, IReadOnlyList<FieldError> Errors) Validate(string json) =>
        FormValidator.Validate(Definition, TestWorkflows.Json(json));

    private static FieldError SingleError(string json)
    {
        var (form, errors) = Validate(json);
        Assert.Null(form);
        return Assert.Single(errors);
    }

    private static string Field(string key, string jsonValue) => $$"""{ "name": "张三", "{{key}}": {{jsonValue}} }""";

    [Fact]
    public void A_complete_valid_form_is_accepted_and_normalised_in_definition_order()
    {
        var (form, errors) = Validate(
            """
            {
              "scan": { "fileName": " 申请表.pdf ", "contentType": "application/PDF", "size": 20480 },
              "channel": " online ",
              "movedOn": "2024-02-29",
              "children": 2,
              "married": true,
              "creditCode": "91350100m000100y43",
              "phone": " 13812345678 ",
              "idNumber": "11010519491231002x",
              "name": "  张三  "
            }
            """);

        Assert.Empty(errors);
        Assert.NotNull(form);
        Assert.Equal(["name", "idNumber", "phone", "creditCode", "married", "children", "movedOn", "channel", "scan"], form.Keys);
        Assert.Equal("张三", Get(form, "name").GetString());
        Assert.Equal("11010519491231002X", Get(form, "idNumber").GetString());
        Assert.Equal("13812345678", Get(form, "phone").GetString());
        Assert.Equal("91350100M000100Y43", Get(form, "creditCode").GetString());
        Assert.Equal("online", Get(form, "channel").GetString());
        Assert.Equal(2, Get(form, "children").GetInt32());
        Assert.True(Get(form, "married").GetBoolean());
        var scan = Get(form, "scan");
        Assert.Equal("申请表.pdf", scan.GetProperty("fileName").GetString());
        Assert.Equal("application/pdf", scan.GetProperty("contentType").GetString());
        Assert.Equal(20480, scan.GetProperty("size").GetInt64());
    }

    [Fact]
    public void Empty_optional_fields_are_left_out()
    {
        var (form, errors) = Validate("""{ "name": "张三", "phone": "", "children": null }""");

        Assert.Empty(errors);
        Assert.Equal(["name"], form!.Keys);
    }

    [Theory]
    [InlineData("""{ }""")]
    [InlineData("""{ "name": null }""")]
    [InlineData("""{ "name": "   " }""")]
    public void A_required_field_must_have_a_value(string json)
    {
        var error = SingleError(json);

        Assert.Equal(new FieldError("name", "此项为必填项", "This field is required"), error);
    }

    [Fact]
    public void Unknown_keys_are_refused()
    {
        var error = SingleError("""{ "name": "张三", "nickname": "小张" }""");

        Assert.Equal("nickname", error.Field);
        Assert.Contains("nickname", error.MessageEn);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"name\"")]
    [InlineData("null")]
    public void A_form_that_is_not_an_object_is_refused(string json)
    {
        Assert.Equal(FieldError.WholeForm, SingleError(json).Field);
    }

    [Fact]
    public void A_form_with_text_that_is_not_valid_utf8_is_refused_instead_of_throwing()
    {
        byte[] json = [.. "{ \"name\": \"张"u8, 0xC3, 0x28, .. "\" }"u8];
        using var document = JsonDocument.Parse(json);

        var (form, errors) = FormValidator.Validate(Definition, document.RootElement);

        Assert.Null(form);
        Assert.Equal(FieldError.WholeForm, Assert.Single(errors).Field);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var (form, errors) = Validate("""{ "phone": "123", "married": "yes", "extra": 1 }""");

        Assert.Null(form);
        Assert.Equal(["extra", "name", "phone", "married"], errors.Select(error => error.Field));
    }

    public static TheoryData<string> ValidIdNumbers() =>
    [
        "11010519491231002X",
        ChineseIds.IdNumber("330205", "20150818", "002"),
        ChineseIds.IdNumber("330205", "19000101", "513"),
        ChineseIds.IdNumber("440305", "20000229", "764"),
        ChineseIds.IdNumber("330203", "19900101", "123"),
    ];

    [Theory]
    [MemberData(nameof(ValidIdNumbers))]
    public void Valid_id_numbers_are_accepted(string idNumber)
    {
        var (form, errors) = Validate(Field("idNumber", $"\"{idNumber}\""));

        Assert.Empty(errors);
        Assert.Equal(idNumber, Get(form!, "idNumber").GetString());
    }

    [Theory]
    [MemberData(nameof(ValidIdNumbers))]
    public void An_id_number_with_a_wrong_check_digit_is_refused(string idNumber)
    {
        var error = SingleError(Field("idNumber", $"\"{ChineseIds.WithWrongCheckCharacter(idNumber)}\""));

        Assert.Equal(new FieldError("idNumber", "身份证号码校验位不正确", "The ID number's check digit is wrong"), error);
    }

    [Theory]
    [InlineData("19490231")]
    [InlineData("20231301")]
    [InlineData("18991231")]
    public void An_id_number_with_an_impossible_birth_date_is_refused(string birthDate)
    {
        var error = SingleError(Field("idNumber", $"\"{ChineseIds.IdNumber("110105", birthDate, "002")}\""));

        Assert.Equal("身份证号码中的出生日期无效", error.MessageZh);
    }

    [Fact]
    public void An_id_number_born_after_today_is_refused()
    {
        var tomorrow = ChineseIds.IdNumber("330205", "20261126", "002");
        var json = TestWorkflows.Json(Field("idNumber", $"\"{tomorrow}\""));

        var (_, errors) = FormValidator.Validate(Definition, json, today: new DateOnly(2026, 11, 25));
        var (_, nextDay) = FormValidator.Validate(Definition, json, today: new DateOnly(2026, 11, 26));

        Assert.Equal("The date of birth in the ID number is not a real date", Assert.Single(errors).MessageEn);
        Assert.Empty(nextDay);
    }

    [Theory]
    [InlineData("000000")]
    [InlineData("990101")]
    [InlineData("240101")]
    public void An_id_number_outside_every_province_is_refused(string region)
    {
        var error = SingleError(Field("idNumber", $"\"{ChineseIds.IdNumber(region, "19900101", "123")}\""));

        Assert.Equal("idNumber", error.Field);
        Assert.Contains("province", error.MessageEn);
        Assert.Contains("行政区划", error.MessageZh);
    }

    [Theory]
    [InlineData("\"1101051949123100\"")]
    [InlineData("\"11010519491231002XX\"")]
    [InlineData("\"1101051949123100AX\"")]
    [InlineData("\"X10105194912310021\"")]
    [InlineData("110105194912310021")]
    public void A_malformed_id_number_is_refused(string jsonValue)
    {
        var error = SingleError(Field("idNumber", jsonValue));

        Assert.Equal("idNumber", error.Field);
        Assert.Contains("18", error.MessageEn);
    }

    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData(" 91350100m000100y43 ")]
    public void A_valid_credit_code_is_accepted(string code)
    {
        var (form, errors) = Validate(Field("creditCode", $"\"{code}\""));

        Assert.Empty(errors);
        Assert.Equal("91350100M000100Y43", Get(form!, "creditCode").GetString());
    }

    [Theory]
    [InlineData("91350100M000100Y44", "check character")]
    [InlineData("91350100M000100Y4", "18 characters")]
    [InlineData("91350100M00O100Y43", "18 characters")]
    [InlineData("91350100I000100Y43", "18 characters")]
    public void An_invalid_credit_code_is_refused(string code, string fragment)
    {
        var error = SingleError(Field("creditCode", $"\"{code}\""));

        Assert.Equal("creditCode", error.Field);
        Assert.Contains(fragment, error.MessageEn);
    }

    [Theory]
    [InlineData("13812345678", true)]
    [InlineData("19900001111", true)]
    [InlineData("12812345678", false)]
    [InlineData("1381234567", false)]
    [InlineData("138123456789", false)]
    [InlineData("+8613812345678", false)]
    [InlineData("1381234567a", false)]
    public void Mobile_numbers_must_be_mainland_numbers(string phone, bool valid)
    {
        var (_, errors) = Validate(Field("phone", $"\"{phone}\""));

        Assert.Equal(valid, errors.Count == 0);
    }

    [Theory]
    [InlineData("\"window\"", true)]
    [InlineData("\"Window\"", false)]
    [InlineData("\"fax\"", false)]
    [InlineData("1", false)]
    public void A_choice_must_be_one_of_the_options(string jsonValue, bool valid)
    {
        var (_, errors) = Validate(Field("channel", jsonValue));

        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Equal("Must be one of: window, online", Assert.Single(errors).MessageEn);
        }
    }

    [Theory]
    [InlineData("\"2024-02-29\"", true)]
    [InlineData("\"2023-02-29\"", false)]
    [InlineData("\"2024-2-9\"", false)]
    [InlineData("\"2024/02/09\"", false)]
    [InlineData("20240209", false)]
    public void Dates_must_be_real_and_written_year_month_day(string jsonValue, bool valid)
    {
        var (_, errors) = Validate(Field("movedOn", jsonValue));

        Assert.Equal(valid, errors.Count == 0);
    }

    [Theory]
    [InlineData("married", "true", true)]
    [InlineData("married", "\"true\"", false)]
    [InlineData("married", "1", false)]
    [InlineData("children", "3", true)]
    [InlineData("children", "2.5", true)]
    [InlineData("children", "\"3\"", false)]
    [InlineData("name", "42", false)]
    public void Bools_numbers_and_text_must_have_their_json_type(string key, string jsonValue, bool valid)
    {
        var json = key == "name" ? $$"""{ "name": {{jsonValue}} }""" : Field(key, jsonValue);

        var (_, errors) = Validate(json);

        Assert.Equal(valid, errors.Count == 0);
    }

    [Theory]
    [InlineData("married", "\"yes\"")]
    [InlineData("married", "\"\"")]
    [InlineData("married", "\"   \"")]
    [InlineData("married", "0")]
    [InlineData("married", "[]")]
    [InlineData("married", "{}")]
    [InlineData("children", "\"\"")]
    [InlineData("scan", "\" \"")]
    public void An_optional_field_that_is_not_text_refuses_a_string_or_other_wrong_value_naming_the_field(string key, string jsonValue)
    {
        var error = SingleError(Field(key, jsonValue));

        Assert.Equal(key, error.Field);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void An_optional_yes_no_field_keeps_true_or_false(string jsonValue, bool expected)
    {
        var (form, errors) = Validate(Field("married", jsonValue));

        Assert.Empty(errors);
        Assert.True(form!.TryGet("married", out var married));
        Assert.Equal(expected, married.GetBoolean());
    }

    [Fact]
    public void Text_longer_than_500_characters_is_refused()
    {
        Assert.Empty(Validate($$"""{ "name": "{{new string('张', 500)}}" }""").Errors);

        var error = SingleError($$"""{ "name": "{{new string('张', 501)}}" }""");

        Assert.Equal("Must be at most 500 characters", error.MessageEn);
    }

    [Theory]
    [InlineData("""{ "fileName": "a.png", "contentType": "image/png", "size": 10485760 }""", 0)]
    [InlineData("""{ "fileName": "a.png", "contentType": "image/png", "size": 10485761 }""", 1)]
    [InlineData("""{ "fileName": "a.png", "contentType": "image/png", "size": 0 }""", 1)]
    [InlineData("""{ "fileName": "a.exe", "contentType": "application/octet-stream", "size": 10 }""", 1)]
    [InlineData("""{ "fileName": "", "contentType": "image/jpeg", "size": 10 }""", 1)]
    [InlineData("""{ "contentType": "image/gif", "size": -1, "path": "/etc" }""", 4)]
    [InlineData("\"a.pdf\"", 1)]
    [InlineData("""{ "fileName": "scan.JPEG", "contentType": "image/jpeg", "size": 10 }""", 0)]
    [InlineData("""{ "fileName": "virus.exe", "contentType": "application/pdf", "size": 10 }""", 1)]
    [InlineData("""{ "fileName": "photo.png", "contentType": "image/jpeg", "size": 10 }""", 1)]
    public void Attachments_must_describe_an_allowed_file(string jsonValue, int expectedErrors)
    {
        var (_, errors) = Validate(Field("scan", jsonValue));

        Assert.Equal(expectedErrors, errors.Count);
        Assert.All(errors, error => Assert.Equal("scan", error.Field));
    }

    [Theory]
    [InlineData("""{ "attachmentId": "0198c2a4-5b7e-7000-8000-000000000001" }""", 0)]
    [InlineData("""{ "attachmentId": "0198c2a4-5b7e-7000-8000-000000000001", "fileName": "x.exe", "size": -1, "sha256": "ab" }""", 0)]
    [InlineData("""{ "attachmentId": "not-an-id" }""", 1)]
    [InlineData("""{ "attachmentId": 42 }""", 1)]
    [InlineData("""{ "attachmentId": "0198c2a4-5b7e-7000-8000-000000000001", "path": "/etc/passwd" }""", 1)]
    public void An_upload_is_referenced_by_the_id_its_upload_returned(string jsonValue, int expectedErrors)
    {
        var (form, errors) = Validate(Field("scan", jsonValue));

        Assert.Equal(expectedErrors, errors.Count);
        Assert.All(errors, error => Assert.Equal("scan", error.Field));
        if (form is not null)
        {
            // What the sender says of the file is dropped: the stored upload describes it once the case binds it.
            Assert.Equal("""{"attachmentId":"0198c2a4-5b7e-7000-8000-000000000001"}""", Get(form, "scan").GetRawText());
        }
    }

    [Fact]
    public void Every_message_is_given_in_chinese_and_english()
    {
        var (_, errors) = Validate(
            """{ "idNumber": "1", "phone": "1", "creditCode": "1", "married": 1, "children": "x", "movedOn": "x", "channel": "x", "scan": 1, "other": 1 }""");

        Assert.Equal(10, errors.Count);
        Assert.All(errors, error =>
        {
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", error.MessageZh);
            Assert.Matches("^[A-Z]", error.MessageEn);
        });
    }

    private static JsonElement Get(FormData form, string key)
    {
        Assert.True(form.TryGet(key, out var value), key);
        return value;
    }
}
