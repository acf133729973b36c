namespace AviOrleans.EndToEnd.Tests;

/// <summary>Bounded polling for outcomes that another process or thread produces.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
