namespace OneThing.DepartmentAdapter;

/// <summary>A setting is missing or wrong: the adapter refuses to start rather than run half-configured.</summary>
public sealed class AdapterConfigurationException(string message) : Exception(message);
