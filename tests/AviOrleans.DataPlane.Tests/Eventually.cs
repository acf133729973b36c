using System.Diagnostics;

namespace AviOrleans.DataPlane.Tests;

/// <summary>Bounded polling for outcomes that another thread or process produces.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, because);
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, because);
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
