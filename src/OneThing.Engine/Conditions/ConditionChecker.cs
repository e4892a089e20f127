using System.Globalization;

namespace OneThing.Engine;

/// <summary>
/// Checks a parsed condition against a form schema, so that unknown names and type mistakes are found
/// when a definition loads rather than when a citizen's case reaches the step.
/// </summary>
public static class ConditionChecker
{
    /// <returns>One message per problem, each naming the field and what is wrong; empty when the condition is sound.</returns>
    public static IReadOnlyList<string> Check(Condition condition, IReadOnlyList<FormField> form) => Check(condition, form, null);

    /// <param name="dottedNames">Resolves names such as <c>steps.property.outcome</c>; without it every dotted name is unknown.</param>
    public static IReadOnlyList<string> Check(Condition condition, IReadOnlyList<FormField> form, Func<string, DottedName>? dottedNames)
    {
        var problems = new List<string>();
        Visit(condition, new Names(form, dottedNames), problems);
        return problems;
    }

    private sealed record Names(IReadOnlyList<FormField> Form, Func<string, DottedName>? Dotted);

    private static void Visit(Condition condition, Names form, List<string> problems)
    {
        switch (condition)
        {
            case AndCondition both:
                Visit(both.Left, form, problems);
                Visit(both.Right, form, problems);
                break;
            case OrCondition either:
                Visit(either.Left, form, problems);
                Visit(either.Right, form, problems);
                break;
            case NotCondition negation:
                Visit(negation.Operand, form, problems);
                break;
            case ConstantCondition:
                break;
            case TruthCondition truth:
                if (Resolve(truth.Reference, form, problems) is { } field && field.Type != FieldType.Bool)
                {
                    problems.Add($"type error in when: {Describe(field)} cannot stand alone as a condition; only a bool field can (compare it instead)");
                }

                break;
            case ComparisonCondition comparison:
                CheckComparison(comparison, form, problems);
                break;
            case MembershipCondition membership:
                CheckMembership(membership, form, problems);
                break;
            default:
                problems.Add($"unsupported condition '{condition}' in when");
                break;
        }
    }

    private static void CheckComparison(ComparisonCondition comparison, Names form, List<string> problems)
    {
        var op = ComparisonCondition.OperatorText(comparison.Operator);
        switch (comparison.Left, comparison.Right)
        {
            case (LiteralOperand left, LiteralOperand right):
                problems.Add($"type error in when: '{comparison}' compares {left} with {right}; one side must be a field");
                break;
            case (ReferenceOperand reference, LiteralOperand literal):
                CheckAgainstLiteral(reference, op, literal, form, problems);
                break;
            case (LiteralOperand literal, ReferenceOperand reference):
                CheckAgainstLiteral(reference, op, literal, form, problems);
                break;
            case (ReferenceOperand left, ReferenceOperand right):
                var leftField = Resolve(left, form, problems);
                var rightField = Resolve(right, form, problems);
                if (leftField is null || rightField is null)
                {
                    break;
                }

                if (!CanUseOperator(leftField, op, problems) || !CanUseOperator(rightField, op, problems))
                {
                    break;
                }

                if (ValueKind(leftField) != ValueKind(rightField) || (IsOrdering(op) && leftField.Type != rightField.Type))
                {
                    problems.Add($"type error in when: {Describe(leftField)} cannot be compared with {Describe(rightField)}");
                }

                break;
        }
    }

    private static void CheckMembership(MembershipCondition membership, Names form, List<string> problems)
    {
        if (Resolve(membership.Reference, form, problems) is not { } field)
        {
            return;
        }

        if (field.Type is FieldType.Bool or FieldType.Attachment)
        {
            problems.Add($"type error in when: 'in' cannot be used on {Describe(field)}");
            return;
        }

        foreach (var literal in membership.Values)
        {
            CheckLiteral(field, literal, problems);
        }
    }

    private static void CheckAgainstLiteral(ReferenceOperand reference, string op, LiteralOperand literal, Names form, List<string> problems)
    {
        if (Resolve(reference, form, problems) is { } field && CanUseOperator(field, op, problems))
        {
            CheckLiteral(field, literal, problems);
        }
    }

    private static bool CanUseOperator(FormField field, string op, List<string> problems)
    {
        if (field.Type == FieldType.Attachment)
        {
            problems.Add($"type error in when: {Describe(field)} cannot be used in a condition");
            return false;
        }

        if (IsOrdering(op) && field.Type is not (FieldType.Number or FieldType.Date))
        {
            problems.Add($"type error in when: '{op}' cannot be used on {Describe(field)}; only number and date fields can be ordered");
            return false;
        }

        return true;
    }

    private static void CheckLiteral(FormField field, LiteralOperand literal, List<string> problems)
    {
        var expected = ValueKind(field);
        var actual = literal switch
        {
            BoolLiteral => "bool",
            NumberLiteral => "number",
            _ => "string",
        };
        if (expected != actual)
        {
            var hint = field.Type == FieldType.Date ? " (write dates as 'yyyy-MM-dd')" : "";
            problems.Add($"type error in when: {Describe(field)} cannot be compared with {actual} {literal}{hint}");
            return;
        }

        if (literal is not StringLiteral text)
        {
            return;
        }

        if (field.Type == FieldType.Date && !DateOnly.TryParseExact(text.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            problems.Add($"type error in when: {literal} is not a valid date (yyyy-MM-dd) for {Describe(field)}");
        }

        if (field.Type == FieldType.Choice && !field.Options.Contains(text.Value, StringComparer.Ordinal))
        {
            problems.Add($"type error in when: {literal} is not an option of {Describe(field)} (options: {string.Join(", ", field.Options)})");
        }
    }

    private static FormField? Resolve(ReferenceOperand reference, Names form, List<string> problems)
    {
        if (reference.IsDotted)
        {
            var dotted = form.Dotted?.Invoke(reference.Name) ?? new DottedName(null, $"unknown field '{reference.Name}' in when");
            if (dotted.Problem is not null)
            {
                problems.Add(dotted.Problem);
            }

            return dotted.Field;
        }

        var field = form.Form.FirstOrDefault(candidate => candidate.Key == reference.Name);
        if (field is null)
        {
            problems.Add($"unknown field '{reference.Name}' in when");
        }

        return field;
    }

    private static bool IsOrdering(string op) => op is "<" or "<=" or ">" or ">=";

    private static string ValueKind(FormField field) => field.Type switch
    {
        FieldType.Bool => "bool",
        FieldType.Number => "number",
        FieldType.Attachment => "attachment",
        _ => "string",
    };

    private static string Describe(FormField field) => $"{TypeName(field.Type)} field '{field.Key}'";

    internal static string TypeName(FieldType type) => type switch
    {
        FieldType.IdNumber => "idNumber",
        FieldType.CreditCode => "creditCode",
        _ => type.ToString().ToLowerInvariant(),
    };
}
