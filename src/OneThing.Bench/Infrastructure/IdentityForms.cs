using System.Text.Json;

namespace OneThing.Bench.Infrastructure;

/// <summary>Distinct, valid identity-change forms: every ID number carries its GB 11643 check character.</summary>
public static class IdentityForms
{
    private static readonly string[] Surnames = ["张", "王", "李", "陈", "刘", "杨", "黄", "周"];
    private static readonly string[] GivenNames = ["小明", "子涵", "雨桐", "浩然", "欣怡", "宇轩", "梓萱", "俊杰"];
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    public const string WorkflowId = "identity-change";

    public static JsonElement Form(int seed) => Form(seed, hasSchoolAgeChild: seed % 3 == 0, ownsProperty: seed % 2 == 0);

    public static JsonElement Form(int seed, bool hasSchoolAgeChild, bool ownsProperty) => JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["name"] = Surnames[seed % Surnames.Length] + GivenNames[seed / Surnames.Length % GivenNames.Length],
        ["idNumber"] = IdNumber(seed),
        ["phone"] = $"138{seed % 100_000_000:00000000}",
        ["newName"] = Surnames[seed % Surnames.Length] + GivenNames[(seed + 3) % GivenNames.Length],
        ["hasSchoolAgeChild"] = hasSchoolAgeChild,
        ["ownsProperty"] = ownsProperty,
        // Everyone measured has a housing-fund account, so every case has the fund's own system on its path.
        ["hasHousingFundAccount"] = true,
    });

    public static object Request(int seed) => new { workflowId = WorkflowId, form = Form(seed) };

    /// <summary>
    /// A case that reaches household registration, then social security, medical insurance and the housing fund's own
    /// system, and skips education and real estate: the path every identity change takes.
    /// </summary>
    public static object CommonPathRequest(int seed) =>
        new { workflowId = WorkflowId, form = Form(seed, hasSchoolAgeChild: false, ownsProperty: false) };

    /// <summary>Ningbo Jiangbei (330205), a birth date in 1960–2014 and a sequence number, all from the seed.</summary>
    public static string IdNumber(int seed)
    {
        var birth = new DateOnly(1960, 1, 1).AddDays(seed % 20_000);
        var body = $"330205{birth:yyyyMMdd}{seed / 20_000 % 1000:000}";
        var sum = body.Select((digit, i) => (digit - '0') * Weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }
}
