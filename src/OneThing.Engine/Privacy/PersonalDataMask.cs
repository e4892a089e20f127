using System.Globalization;

namespace OneThing.Engine;

/// <summary>
/// Masks personal data for logs and for people who may know a record exists but not whose it is.
/// Values too short to keep a visible part are masked completely.
/// </summary>
public static class PersonalDataMask
{
    /// <summary>Keeps the first 4 (region) and last 4 characters: "3302**********1234".</summary>
    public static string IdNumber(string v) => KeepEnds(v, 4, 4);

    /// <summary>Keeps the first 3 (carrier) and last 4 digits: "138****5678".</summary>
    public static string Mobile(string v) => KeepEnds(v, 3, 4);

    /// <summary>Keeps the first character of the mailbox and the domain: "z***@jiangbei.gov.cn".</summary>
    public static string Email(string v)
    {
        var text = (v ?? "").Trim();
        var at = text.LastIndexOf('@');
        return at <= 0 ? KeepEnds(text, 0, 0) : string.Concat(text.AsSpan(0, 1), "***", text.AsSpan(at));
    }

    /// <summary>Keeps the first character (the usual surname): "张*", "欧***", "J*********".</summary>
    public static string Name(string v)
    {
        var text = (v ?? "").Trim();
        var characters = new StringInfo(text).LengthInTextElements;
        return characters switch
        {
            0 => "",
            1 => "*",
            _ => StringInfo.GetNextTextElement(text) + new string('*', characters - 1),
        };
    }

    private static string KeepEnds(string? value, int head, int tail)
    {
        var text = (value ?? "").Trim();
        if (text.Length <= head + tail)
        {
            return new string('*', text.Length);
        }

        return string.Concat(text.AsSpan(0, head), new string('*', text.Length - head - tail), text.AsSpan(text.Length - tail));
    }
}
