using System.Globalization;
using System.Text;

namespace OneThing.Engine;

internal enum TokenKind
{
    Name, Number, String, True, False, And, Or, Not, In, Comparison,
    OpenParen, CloseParen, OpenBracket, CloseBracket, Comma, End,
}

internal sealed record Token(TokenKind Kind, int Position, string Text, decimal Number = 0, ComparisonOperator Operator = default)
{
    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the condition",
        TokenKind.String => $"the string '{Text}'",
        TokenKind.Number => $"the number {Text}",
        _ => $"'{Text}'",
    };
}

internal static class ConditionTokenizer
{
    public static IReadOnlyList<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, text.Length, ""));
                return tokens;
            }

            var start = i;
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';

            if (IsNameStart(c))
            {
                i = ReadName(text, i);
                var name = text[start..i];
                tokens.Add(new Token(KeywordKind(name), start, name));
                continue;
            }

            if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(next)))
            {
                i = ReadNumber(text, i);
                var literal = text[start..i];
                if (!decimal.TryParse(literal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                {
                    throw new ConditionSyntaxException($"'{literal}' is not a valid number", start);
                }

                tokens.Add(new Token(TokenKind.Number, start, literal, number));
                continue;
            }

            if (c is '\'' or '"')
            {
                var (value, end) = ReadString(text, i);
                tokens.Add(new Token(TokenKind.String, start, value));
                i = end;
                continue;
            }

            var (kind, length, op) = (c, next) switch
            {
                ('=', '=') => (TokenKind.Comparison, 2, ComparisonOperator.Equal),
                ('!', '=') => (TokenKind.Comparison, 2, ComparisonOperator.NotEqual),
                ('<', '=') => (TokenKind.Comparison, 2, ComparisonOperator.LessOrEqual),
                ('>', '=') => (TokenKind.Comparison, 2, ComparisonOperator.GreaterOrEqual),
                ('<', _) => (TokenKind.Comparison, 1, ComparisonOperator.Less),
                ('>', _) => (TokenKind.Comparison, 1, ComparisonOperator.Greater),
                ('&', '&') => (TokenKind.And, 2, default),
                ('|', '|') => (TokenKind.Or, 2, default),
                ('!', _) => (TokenKind.Not, 1, default),
                ('(', _) => (TokenKind.OpenParen, 1, default),
                (')', _) => (TokenKind.CloseParen, 1, default),
                ('[', _) => (TokenKind.OpenBracket, 1, default),
                (']', _) => (TokenKind.CloseBracket, 1, default),
                (',', _) => (TokenKind.Comma, 1, default),
                ('=', _) => throw new ConditionSyntaxException("'=' is not an operator; use '==' to compare", start),
                ('&', _) => throw new ConditionSyntaxException("'&' is not an operator; use 'and' or '&&'", start),
                ('|', _) => throw new ConditionSyntaxException("'|' is not an operator; use 'or' or '||'", start),
                _ => throw new ConditionSyntaxException($"unexpected character '{c}'", start),
            };
            tokens.Add(new Token(kind, start, text.Substring(start, length), Operator: op));
            i += length;
        }
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    // Segments may contain inner hyphens so that future references to kebab-case step ids
    // (steps.real-estate.outcome) tokenize; the language has no subtraction, so this is unambiguous.
    private static int ReadName(string text, int i)
    {
        while (true)
        {
            i++;
            while (i < text.Length && (IsNamePart(text[i]) || (text[i] == '-' && i + 1 < text.Length && IsNamePart(text[i + 1]))))
            {
                i++;
            }

            if (i + 1 < text.Length && text[i] == '.' && IsNameStart(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }
    }

    private static int ReadNumber(string text, int i)
    {
        i++;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && IsNamePart(text[i]))
        {
            throw new ConditionSyntaxException($"unexpected character '{text[i]}' in a number", i);
        }

        return i;
    }

    private static (string Value, int End) ReadString(string text, int start)
    {
        var quote = text[start];
        var value = new StringBuilder();
        var i = start + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == quote)
            {
                return (value.ToString(), i + 1);
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                value.Append(text[i + 1]);
                i += 2;
                continue;
            }

            value.Append(c);
            i++;
        }

        throw new ConditionSyntaxException("unterminated string: missing closing quote", start);
    }

    private static TokenKind KeywordKind(string name) => name switch
    {
        "and" => TokenKind.And,
        "or" => TokenKind.Or,
        "not" => TokenKind.Not,
        "in" => TokenKind.In,
        "true" => TokenKind.True,
        "false" => TokenKind.False,
        _ => TokenKind.Name,
    };
}
