namespace OneThing.Testing;

public static class Eventually
{
    /// <summary>Polls until the condition holds; messages travel over the bus, so results arrive a moment later.</summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        T last;
        do
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Timed out waiting for {what}; last seen: {System.Text.Json.JsonSerializer.Serialize(last)}");
    }
}
