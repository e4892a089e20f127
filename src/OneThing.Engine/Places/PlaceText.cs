using System.Globalization;
using System.Text;

namespace OneThing.Engine;

/// <summary>
/// Place names as people and devices write them differ in width, spacing and punctuation (「江北区 甬江街道，外漕村」
/// and 「江北区甬江街道外漕村」 are one spot); matching compares this normal form instead of the raw text.
/// </summary>
public static class PlaceText
{
    /// <summary>NFKC folds full-width letters, digits and signs to their half-width forms; then case is folded and
    /// whitespace, punctuation and symbols are dropped, keeping letters (Chinese characters included) and digits.</summary>
    public static string Normalise(string text) => Fold(text, keepHyphens: false);

    /// <summary>As <see cref="Normalise"/>, but the hyphens of a code such as yongjiang-waicao-01 stay, since they separate its parts.</summary>
    public static string NormaliseCode(string code) => Fold(code, keepHyphens: true);

    private static string Fold(string text, bool keepHyphens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = text.Normalize(NormalizationForm.FormKC);
        var kept = new StringBuilder(folded.Length);
        foreach (var rune in folded.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                kept.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else if (keepHyphens && Rune.GetUnicodeCategory(rune) == UnicodeCategory.DashPunctuation)
            {
                kept.Append('-');
            }
        }

        return kept.ToString();
    }
}
