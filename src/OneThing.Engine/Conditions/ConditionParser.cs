using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace OneThing.Engine;

/// <summary>
/// Parses the <c>when</c> language:
/// <code>
/// condition  := or
/// or         := and (('or' | '||') and)*
/// and        := unary (('and' | '&amp;&amp;') unary)*
/// unary      := ('not' | '!') unary | '(' condition ')' | test
/// test       := operand [ compare operand | ['not'] 'in' '[' literal (',' literal)* ']' ]
/// operand    := name ('.' name)* | literal
/// literal    := 'true' | 'false' | number | 'string' | "string"
/// </code>
/// A test without a comparison must be a name (a bool field) or a bool literal.
/// </summary>
public static class ConditionParser
{
    public static Condition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(ConditionTokenizer.Tokenize(text));
        return parser.ParseWhole();
    }

    private sealed class Parser(IReadOnlyList<Token> tokens)
    {
        private int index;

        private Token Current => tokens[index];

        public Condition ParseWhole()
        {
            if (Current.Kind == TokenKind.End)
            {
                throw new ConditionSyntaxException("the condition is empty", Current.Position);
            }

            var condition = ParseOr();
            if (Current.Kind != TokenKind.End)
            {
                throw new ConditionSyntaxException($"unexpected {Current.Describe()}; expected 'and', 'or' or the end of the condition", Current.Position);
            }

            return condition;
        }

        private Condition ParseOr()
        {
            var left = ParseAnd();
            while (Accept(TokenKind.Or))
            {
                left = new OrCondition(left, ParseAnd());
            }

            return left;
        }

        private Condition ParseAnd()
        {
            var left = ParseUnary();
            while (Accept(TokenKind.And))
            {
                left = new AndCondition(left, ParseUnary());
            }

            return left;
        }

        private Condition ParseUnary()
        {
            if (Accept(TokenKind.Not))
            {
                return new NotCondition(ParseUnary());
            }

            if (Current.Kind == TokenKind.OpenParen)
            {
                var open = Current;
                index++;
                var inner = ParseOr();
                if (!Accept(TokenKind.CloseParen))
                {
                    throw new ConditionSyntaxException(
                        $"expected ')' to close the '(' at column {open.Position + 1}, found {Current.Describe()}", Current.Position);
                }

                return inner;
            }

            return ParseTest();
        }

        private Condition ParseTest()
        {
            var start = Current;
            var left = ParseOperand();

            if (Current.Kind == TokenKind.Comparison)
            {
                var op = Current.Operator;
                index++;
                var right = ParseOperand();
                return new ComparisonCondition(left, op, right);
            }

            var negated = Current.Kind == TokenKind.Not && Peek(1).Kind == TokenKind.In;
            if (negated || Current.Kind == TokenKind.In)
            {
                if (left is not ReferenceOperand reference)
                {
                    throw new ConditionSyntaxException("'in' needs a field name on its left", start.Position);
                }

                index += negated ? 2 : 1;
                var membership = new MembershipCondition(reference, ParseList());
                return negated ? new NotCondition(membership) : membership;
            }

            return left switch
            {
                ReferenceOperand reference => new TruthCondition(reference),
                BoolLiteral literal => new ConstantCondition(literal.Value),
                _ => throw new ConditionSyntaxException(
                    $"{start.Describe()} on its own is not a condition; compare it with a field", start.Position),
            };
        }

        private ImmutableArray<LiteralOperand> ParseList()
        {
            if (!Accept(TokenKind.OpenBracket))
            {
                throw new ConditionSyntaxException($"expected '[' after 'in', found {Current.Describe()}", Current.Position);
            }

            var values = ImmutableArray.CreateBuilder<LiteralOperand>();
            do
            {
                var position = Current.Position;
                if (ParseOperand() is not LiteralOperand literal)
                {
                    throw new ConditionSyntaxException("a list after 'in' may only hold literals", position);
                }

                values.Add(literal);
            }
            while (Accept(TokenKind.Comma));

            if (!Accept(TokenKind.CloseBracket))
            {
                throw new ConditionSyntaxException($"expected ',' or ']' in the list, found {Current.Describe()}", Current.Position);
            }

            return values.ToImmutable();
        }

        private ConditionOperand ParseOperand()
        {
            var token = Current;
            ConditionOperand operand = token.Kind switch
            {
                TokenKind.Name => new ReferenceOperand(token.Text),
                TokenKind.True => new BoolLiteral(true),
                TokenKind.False => new BoolLiteral(false),
                TokenKind.Number => new NumberLiteral(token.Number),
                TokenKind.String => new StringLiteral(token.Text),
                _ => throw new ConditionSyntaxException(
                    $"expected a field name, a literal or '(', found {token.Describe()}", token.Position),
            };
            index++;
            return operand;
        }

        private bool Accept(TokenKind kind)
        {
            if (Current.Kind != kind)
            {
                return false;
            }

            index++;
            return true;
        }

        private Token Peek(int offset) => tokens[Math.Min(index + offset, tokens.Count - 1)];
    }
}
