namespace OneThing.Engine;

public sealed record Department(string Code, LocalizedText Name);
