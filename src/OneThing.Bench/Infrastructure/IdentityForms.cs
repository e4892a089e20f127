using System.Text.Json;

namespace OneThing.Bench.Infrastructure;

/// <summary>Distinct, valid identity-change forms: every ID number carries its GB 11643 check character.</summary>
public static class IdentityForms
{
    private static readonly string[] Surnames = ["张", "王", "李", "陈", "刘", "杨", "黄", "周"];
    private static readonly string[] GivenNames = ["小明", "子涵", "雨桐", "浩然", "欣怡", "宇轩", "梓萱", "俊杰"];
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    public const string WorkflowId = "identity-change";

    public const string ApplicationFormPhotoName = "联办申请表.jpg";

    /// <summary>A small JPEG (its first bytes as a camera writes them, then filler) standing for the photographed joint application form.</summary>
    public static byte[] ApplicationFormPhoto()
    {
        var photo = new byte[2_000];
        new Random(2_000).NextBytes(photo);
        ReadOnlySpan<byte> jpegStart = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46];
        jpegStart.CopyTo(photo);
        return photo;
    }

    /// <param name="applicationForm">An unused upload of the filing clerk's: the form's required photograph, one per case.</param>
    public static JsonElement Form(int seed, Guid applicationForm) =>
        Form(seed, applicationForm, hasSchoolAgeChild: seed % 3 == 0, ownsProperty: seed % 2 == 0);

    public static JsonElement Form(int seed, Guid applicationForm, bool hasSchoolAgeChild, bool ownsProperty) => JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["name"] = Surnames[seed % Surnames.Length] + GivenNames[seed / Surnames.Length % GivenNames.Length],
        ["idNumber"] = IdNumber(seed),
        ["phone"] = $"138{seed % 100_000_000:00000000}",
        ["newName"] = Surnames[seed % Surnames.Length] + GivenNames[(seed + 3) % GivenNames.Length],
        ["hasSchoolAgeChild"] = hasSchoolAgeChild,
        ["ownsProperty"] = ownsProperty,
        // Everyone measured has a housing-fund account, so every case has the fund's own system on its path.
        ["hasHousingFundAccount"] = true,
        ["applicationForm"] = new { attachmentId = applicationForm },
    });

    public static object Request(int seed, Guid applicationForm) => new { workflowId = WorkflowId, form = Form(seed, applicationForm) };

    /// <summary>
    /// A case that reaches household registration, then social security, medical insurance and the housing fund's own
    /// system, and skips education and real estate: the path every identity change takes.
    /// </summary>
    public static object CommonPathRequest(int seed, Guid applicationForm) =>
        new { workflowId = WorkflowId, form = Form(seed, applicationForm, hasSchoolAgeChild: false, ownsProperty: false) };

    /// <summary>Ningbo Jiangbei (330205), a birth date in 1960–2014 and a sequence number, all from the seed.</summary>
    public static string IdNumber(int seed)
    {
        var birth = new DateOnly(1960, 1, 1).AddDays(seed % 20_000);
        var body = $"330205{birth:yyyyMMdd}{seed / 20_000 % 1000:000}";
        var sum = body.Select((digit, i) => (digit - '0') * Weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }
}
