using OneThing.Engine;

namespace OneThing.Processing.Commands;

/// <summary>Why a command changed nothing; every front door turns it into the same answer (see the API's CommandProblems).</summary>
public abstract record Refusal
{
    private Refusal()
    {
    }

    /// <param name="Message">Null when the caller names what it looked for (e.g. "There is no case {id}.").</param>
    public sealed record NotFound(string? Message = null) : Refusal;

    /// <summary>The request is right but the moment is not: the case or task is no longer in a state that allows it.</summary>
    public sealed record Conflict(string Message) : Refusal;

    /// <summary>The request itself is wrong: in <paramref name="Field"/>, and in the <see cref="Others"/> when there are more.</summary>
    public sealed record Invalid(string Field, string Message, string? Title = null) : Refusal
    {
        /// <summary>The request's other wrong fields, so that one answer names every field to correct.</summary>
        public IReadOnlyList<Invalid> Others { get; init; } = [];

        public IEnumerable<Invalid> All => [this, .. Others];

        /// <returns>One refusal naming every failed check's field, or null when every check passed.</returns>
        public static Invalid? Combine(params Invalid?[] checks)
        {
            var failed = checks.OfType<Invalid>().SelectMany(check => check.All).ToList();
            return failed is [var first, .. var others] ? first with { Others = others } : null;
        }
    }

    /// <summary>The request's form is wrong, field by field.</summary>
    public sealed record InvalidForm(IReadOnlyList<FieldError> Errors) : Refusal;

    public sealed record Forbidden(string Message) : Refusal;

    /// <summary>Too many wrong attempts (e.g. phone digits for one case number): refused until <paramref name="RetryAfter"/> has passed.</summary>
    public sealed record TooManyAttempts(TimeSpan RetryAfter, string Title, string Message) : Refusal;

    /// <summary>Well formed but cannot be processed, e.g. an idempotency key sent again with another request.</summary>
    public sealed record Unprocessable(string Title, string Message) : Refusal;
}

/// <summary>
/// What every use case answers: done, with the value its caller needs, or refused. A refusal converts implicitly, so a
/// use case says <c>return new Refusal.Conflict("…")</c> whatever its value type.
/// </summary>
public sealed record CommandResult<T>
{
    private CommandResult(T? value, Refusal? refusal)
    {
        Value = value;
        Refusal = refusal;
    }

    /// <summary>Set when <see cref="IsDone"/>.</summary>
    public T? Value { get; }

    /// <summary>Set when the command changed nothing.</summary>
    public Refusal? Refusal { get; }

    public bool IsDone => Refusal is null;

    public static CommandResult<T> Done(T value) => new(value, null);

    public static implicit operator CommandResult<T>(Refusal refusal) => new(default, refusal);

    /// <summary>The same refusal for a command with another value type.</summary>
    public CommandResult<TOther> Map<TOther>(Func<T, TOther> map) => IsDone ? CommandResult<TOther>.Done(map(Value!)) : Refusal!;
}

/// <summary>The value of a command whose caller needs nothing back but "done".</summary>
public sealed record Unit
{
    public static readonly Unit Value = new();

    private Unit()
    {
    }
}
