namespace OneThing.Engine;

/// <summary>The names a condition reads, e.g. to know which conditions a new incident report can change.</summary>
public static class ConditionNames
{
    public static IReadOnlySet<string> Of(Condition condition)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Collect(condition, names);
        return names;
    }

    private static void Collect(Condition condition, HashSet<string> names)
    {
        switch (condition)
        {
            case AndCondition and:
                Collect(and.Left, names);
                Collect(and.Right, names);
                break;
            case OrCondition or:
                Collect(or.Left, names);
                Collect(or.Right, names);
                break;
            case NotCondition not:
                Collect(not.Operand, names);
                break;
            case TruthCondition truth:
                names.Add(truth.Reference.Name);
                break;
            case ComparisonCondition comparison:
                foreach (var operand in new[] { comparison.Left, comparison.Right }.OfType<ReferenceOperand>())
                {
                    names.Add(operand.Name);
                }

                break;
            case MembershipCondition membership:
                names.Add(membership.Reference.Name);
                break;
        }
    }
}
