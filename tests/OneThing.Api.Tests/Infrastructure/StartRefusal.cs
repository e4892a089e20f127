namespace OneThing.Api.Tests.Infrastructure;

public static class StartRefusal
{
    /// <summary>Why a host did not start: every message down its inner and aggregated exceptions, one string to search.</summary>
    public static string Of(Exception exception) =>
        exception is AggregateException aggregate
            ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(Of))
            : exception.InnerException is { } inner ? $"{exception.Message} | {Of(inner)}" : exception.Message;
}
