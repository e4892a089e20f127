using System.Collections.Immutable;
using System.Globalization;

namespace OneThing.Engine;

/// <summary>
/// A parsed <c>when</c> condition. Evaluation never throws: a missing (or null) value makes every comparison
/// false except <c>!=</c>, so optional fields that were left empty simply do not match.
/// </summary>
public abstract record Condition
{
    public bool Evaluate(FormData form) => Evaluate(new ConditionScope(form));

    public abstract bool Evaluate(ConditionScope scope);
}

public sealed record AndCondition(Condition Left, Condition Right) : Condition
{
    public override bool Evaluate(ConditionScope scope) => Left.Evaluate(scope) && Right.Evaluate(scope);

    public override string ToString() => $"({Left} and {Right})";
}

public sealed record OrCondition(Condition Left, Condition Right) : Condition
{
    public override bool Evaluate(ConditionScope scope) => Left.Evaluate(scope) || Right.Evaluate(scope);

    public override string ToString() => $"({Left} or {Right})";
}

public sealed record NotCondition(Condition Operand) : Condition
{
    public override bool Evaluate(ConditionScope scope) => !Operand.Evaluate(scope);

    public override string ToString() => $"not {Operand}";
}

public sealed record ConstantCondition(bool Value) : Condition
{
    public override bool Evaluate(ConditionScope scope) => Value;

    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A bare name such as <c>hasSchoolAgeChild</c>: true only when the value is the JSON literal true.</summary>
public sealed record TruthCondition(ReferenceOperand Reference) : Condition
{
    public override bool Evaluate(ConditionScope scope) =>
        Reference.Resolve(scope) is { Kind: ConditionValueKind.Bool, Bool: true };

    public override string ToString() => Reference.ToString();
}

public enum ComparisonOperator { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

public sealed record ComparisonCondition(ConditionOperand Left, ComparisonOperator Operator, ConditionOperand Right) : Condition
{
    public override bool Evaluate(ConditionScope scope)
    {
        var left = Left.Resolve(scope);
        var right = Right.Resolve(scope);
        if (Operator == ComparisonOperator.NotEqual)
        {
            return !ConditionValue.AreEqual(left, right);
        }

        if (Operator == ComparisonOperator.Equal)
        {
            return ConditionValue.AreEqual(left, right);
        }

        if (ConditionValue.Compare(left, right) is not { } order)
        {
            return false;
        }

        return Operator switch
        {
            ComparisonOperator.Less => order < 0,
            ComparisonOperator.LessOrEqual => order <= 0,
            ComparisonOperator.Greater => order > 0,
            ComparisonOperator.GreaterOrEqual => order >= 0,
            _ => false,
        };
    }

    public override string ToString() => $"{Left} {OperatorText(Operator)} {Right}";

    internal static string OperatorText(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "==",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        _ => ">=",
    };
}

/// <summary><c>field in ['a', 'b']</c>; <c>field not in [...]</c> parses to a <see cref="NotCondition"/> around it.</summary>
public sealed record MembershipCondition(ReferenceOperand Reference, ImmutableArray<LiteralOperand> Values) : Condition
{
    public override bool Evaluate(ConditionScope scope)
    {
        var value = Reference.Resolve(scope);
        return Values.Any(literal => ConditionValue.AreEqual(value, literal.Resolve(scope)));
    }

    public bool Equals(MembershipCondition? other) =>
        other is not null && Reference == other.Reference && Values.SequenceEqual(other.Values);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Reference);
        foreach (var value in Values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"{Reference} in [{string.Join(", ", Values)}]";
}

public abstract record ConditionOperand
{
    internal abstract ConditionValue Resolve(ConditionScope scope);
}

/// <summary>A name in a condition: a form field key, <c>steps.&lt;id&gt;.outcome</c>, or <c>case.reports</c>.</summary>
public sealed record ReferenceOperand(string Name) : ConditionOperand
{
    public bool IsDotted => Name.Contains('.');

    internal override ConditionValue Resolve(ConditionScope scope) => scope.Resolve(Name);

    public override string ToString() => Name;
}

public abstract record LiteralOperand : ConditionOperand;

public sealed record BoolLiteral(bool Value) : LiteralOperand
{
    internal override ConditionValue Resolve(ConditionScope scope) => ConditionValue.FromBool(Value);

    public override string ToString() => Value ? "true" : "false";
}

public sealed record NumberLiteral(decimal Value) : LiteralOperand
{
    internal override ConditionValue Resolve(ConditionScope scope) => ConditionValue.FromNumber(Value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A quoted string; also how dates are written (<c>'2024-09-01'</c>), compared with date fields.</summary>
public sealed record StringLiteral(string Value) : LiteralOperand
{
    internal override ConditionValue Resolve(ConditionScope scope) => ConditionValue.FromString(Value);

    public override string ToString() => "'" + Value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
