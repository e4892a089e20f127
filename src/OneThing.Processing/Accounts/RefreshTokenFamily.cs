namespace OneThing.Processing.Accounts;

/// <summary>
/// The refresh tokens of one bearer sign-in. Each refresh replaces <see cref="CurrentTokenId"/>; a token of the family
/// that is not the current one has been used before, so someone holds a copy, and the whole family is revoked: its
/// refresh tokens and its access tokens stop working. A row whose <see cref="ExpiresAt"/> has passed can no longer
/// back any token and is deleted.
/// </summary>
public sealed class RefreshTokenFamily
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public Guid CurrentTokenId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the family's newest refresh token expires; each refresh moves it on.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
}
