namespace OneThing.Processing.Hosting;

/// <summary>A setting as an operator writes it in appsettings.json and as an environment variable, for start-up refusals.</summary>
internal static class SettingName
{
    public static string Of(string section, string path) =>
        $"{section}:{path} ({section}__{path.Replace(":", "__", StringComparison.Ordinal)})";
}
