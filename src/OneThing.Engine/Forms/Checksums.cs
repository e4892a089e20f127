namespace OneThing.Engine;

internal static class Checksums
{
    private static readonly int[] IdNumberWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string IdNumberCheckCharacters = "10X98765432";

    private static readonly int[] CreditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>The characters of a unified social credit code; I, O, Z, S and V are left out to avoid confusion.</summary>
    public const string CreditCodeCharacters = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>GB 11643-1999 check character for the first 17 digits of a resident ID number.</summary>
    public static char IdNumberCheckCharacter(ReadOnlySpan<char> first17Digits)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17Digits[i] - '0') * IdNumberWeights[i];
        }

        return IdNumberCheckCharacters[sum % 11];
    }

    /// <summary>GB 32100-2015 check character for the first 17 characters of a unified social credit code.</summary>
    public static char CreditCodeCheckCharacter(ReadOnlySpan<char> first17Characters)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += CreditCodeCharacters.IndexOf(first17Characters[i]) * CreditCodeWeights[i];
        }

        var check = 31 - (sum % 31);
        return CreditCodeCharacters[check == 31 ? 0 : check];
    }
}
