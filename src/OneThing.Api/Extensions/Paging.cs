namespace OneThing.Api.Extensions;

/// <summary>
/// The limits every paged list shares. The page number is bounded so that the row offset, page size times page
/// number, stays far inside what the database accepts; a page past the last one is simply empty.
/// </summary>
internal static class Paging
{
    public const int MaxPage = 100_000;

    /// <summary>What is wrong with a requested page, keyed by query parameter; empty when both are usable.</summary>
    public static Dictionary<string, string[]> Check(int? page, int? pageSize, int maxPageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage)
        {
            errors["page"] = [$"page starts at 1 and is at most {MaxPage}."];
        }

        if (pageSize is { } size && (size < 1 || size > maxPageSize))
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {maxPageSize}."];
        }

        return errors;
    }
}
