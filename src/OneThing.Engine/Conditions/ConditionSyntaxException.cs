namespace OneThing.Engine;

public sealed class ConditionSyntaxException : Exception
{
    public ConditionSyntaxException(string message, int position)
        : base($"{message} (at column {position + 1})")
    {
        Position = position;
        Reason = message;
    }

    /// <summary>Zero-based character offset into the condition text.</summary>
    public int Position { get; }

    /// <summary>The message without the position suffix.</summary>
    public string Reason { get; }
}
