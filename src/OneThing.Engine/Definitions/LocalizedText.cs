namespace OneThing.Engine;

public sealed record LocalizedText(string Zh, string En);
