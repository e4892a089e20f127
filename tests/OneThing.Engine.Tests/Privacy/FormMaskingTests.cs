using System.Text.Json;

namespace OneThing.Engine.Tests;

public class FormMaskingTests
{
    private static readonly WorkflowDefinition Definition = TestWorkflows.Parse(
        """
        id: masking-sample
        name: { zh: 脱敏, en: Masking }
        form:
          - { key: name, label: { zh: 姓名, en: Name }, type: text, personal: true }
          - { key: idNumber, label: { zh: 身份证号, en: ID number }, type: idNumber }
          - { key: phone, label: { zh: 手机, en: Mobile }, type: mobile }
          - { key: reason, label: { zh: 原因, en: Reason }, type: text }
          - { key: married, label: { zh: 已婚, en: Married }, type: bool }
          - { key: born, label: { zh: 出生日期, en: Born }, type: date, personal: true }
          - { key: scan, label: { zh: 扫描件, en: Scan }, type: attachment, personal: true }
        steps:
          - { id: only, name: { zh: 唯一, en: Only }, department: registry }
        """);

    [Fact]
    public void Personal_fields_are_masked_by_type_and_the_rest_is_left_as_filed()
    {
        var form = FormData.FromJson(TestWorkflows.Json(
            """
            { "name": "张小明", "idNumber": "11010519491231002X", "phone": "13812345678", "reason": "改名",
              "married": true, "born": "1949-12-31", "scan": { "fileName": "张小明身份证.png", "contentType": "image/png", "size": 10 } }
            """));

        var masked = FormMasking.Mask(Definition, form).ToJson();

        Assert.Equal("张**", masked.GetProperty("name").GetString());
        Assert.Equal("1101**********002X", masked.GetProperty("idNumber").GetString());
        Assert.Equal("138****5678", masked.GetProperty("phone").GetString());
        Assert.Equal("改名", masked.GetProperty("reason").GetString());
        Assert.True(masked.GetProperty("married").GetBoolean());
        Assert.Equal("***", masked.GetProperty("born").GetString());
        Assert.Equal("***.png", masked.GetProperty("scan").GetProperty("fileName").GetString());
        Assert.Equal("image/png", masked.GetProperty("scan").GetProperty("contentType").GetString());
        Assert.DoesNotContain("小明", JsonSerializer.Serialize(masked, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void A_key_the_definition_does_not_know_is_masked()
    {
        var form = FormData.FromJson(TestWorkflows.Json("""{ "legacyField": "13812345678" }"""));

        Assert.Equal("***", FormMasking.Mask(Definition, form).ToJson().GetProperty("legacyField").GetString());
    }
}
