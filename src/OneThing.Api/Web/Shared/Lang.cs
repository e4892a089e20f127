using System.Globalization;
using OneThing.Engine;

namespace OneThing.Api.Web.Shared;

/// <summary>
/// The UI's two languages. Every text is written as a Chinese / English pair where it is used, so no text can lack its
/// translation; the culture comes from the language switch's cookie and is Chinese by default.
/// </summary>
public static class Lang
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string HtmlLang => IsEnglish ? "en" : "zh-CN";

    public static string T(string zh, string en) => IsEnglish ? en : zh;

    public static string Pick(this LocalizedText? text) => text is null ? "" : IsEnglish ? text.En : text.Zh;
}
