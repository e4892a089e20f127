using System.Text.RegularExpressions;

namespace OneThing.DepartmentAdapter;

public sealed partial class DepartmentAdapterOptions
{
    public const string Section = "DepartmentAdapter";
    /// <summary>Every department with an automated step in the shipped workflows (identity change, enterprise opening).</summary>
    public static readonly string[] DefaultDepartments = ["housing-fund", "public-security", "social-security"];

    /// <summary>Department codes (as in workflows/departments.yaml) whose own systems this host plays.</summary>
    public string[] Departments { get; set; } = [];

    /// <summary>Simulates a slow department: time spent "updating the records" before answering.</summary>
    public TimeSpan AnswerDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Step ids the simulated systems refuse, so the rejection path can be exercised end to end.</summary>
    public string[] RejectSteps { get; set; } = [];

    /// <summary>Messages handled at once per department queue; the work is waiting on the broker, not the CPU.</summary>
    public int ConcurrentMessageLimit { get; set; } = 4;

    public IReadOnlyList<string> EffectiveDepartments => Departments.Length == 0 ? DefaultDepartments : Departments;

    public void Validate()
    {
        foreach (var code in EffectiveDepartments)
        {
            if (!DepartmentCode().IsMatch(code))
            {
                throw new AdapterConfigurationException(
                    $"{Section}:Departments has '{code}'; department codes are lowercase letters, digits and hyphens, as in workflows/departments.yaml.");
            }
        }

        if (EffectiveDepartments.Distinct().Count() != EffectiveDepartments.Count)
        {
            throw new AdapterConfigurationException($"{Section}:Departments lists a department twice.");
        }

        if (AnswerDelay < TimeSpan.Zero)
        {
            throw new AdapterConfigurationException($"{Section}:AnswerDelay must not be negative.");
        }

        if (ConcurrentMessageLimit is < 1 or > 256)
        {
            throw new AdapterConfigurationException($"{Section}:ConcurrentMessageLimit must be between 1 and 256.");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex DepartmentCode();
}
