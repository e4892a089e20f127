namespace OneThing.Engine.Tests;

/// <summary>
/// Builds valid identifiers for tests, written separately from the engine's code so that a mistake in the
/// engine's checksum cannot make its own tests pass.
/// </summary>
internal static class ChineseIds
{
    public static string IdNumber(string region, string birthDate, string sequence)
    {
        var body = region + birthDate + sequence;
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((digit, i) => (digit - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }

    /// <summary>The same number with its last character replaced by a different valid-looking one.</summary>
    public static string WithWrongCheckCharacter(string id)
    {
        var wrong = id[^1] == '0' ? '1' : '0';
        return id[..^1] + wrong;
    }
}
