namespace OneThing.Processing.Ratings;

/// <summary>The five levels of GB/T 39734 and their scores; the public API took scores 1–5 before it took levels.</summary>
public static class RatingLevels
{
    public const string VerySatisfied = "very-satisfied";
    public const string Satisfied = "satisfied";
    public const string BasicallySatisfied = "basically-satisfied";
    public const string Dissatisfied = "dissatisfied";
    public const string VeryDissatisfied = "very-dissatisfied";

    /// <summary>Index 0 is score 1 (非常不满意), index 4 score 5 (非常满意).</summary>
    public static readonly IReadOnlyList<string> ByScore = [VeryDissatisfied, Dissatisfied, BasicallySatisfied, Satisfied, VerySatisfied];

    public static readonly IReadOnlyDictionary<string, string> Chinese = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [VerySatisfied] = "非常满意", [Satisfied] = "满意", [BasicallySatisfied] = "基本满意", [Dissatisfied] = "不满意", [VeryDissatisfied] = "非常不满意",
    };

    public static string OfScore(int score) => ByScore[score - 1];

    public static int? ScoreOf(string level)
    {
        var index = ByScore.ToList().IndexOf(level);
        return index < 0 ? null : index + 1;
    }

    /// <summary>不满意 and 非常不满意 are 差评: they must be verified, rectified and answered.</summary>
    public static bool IsBad(int score) => score <= 2;
}
