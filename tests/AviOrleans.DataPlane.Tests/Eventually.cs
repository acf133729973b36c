using System.Diagnostics;

namespace AviOrleans.DataPlane.Tests;

/// <summary>Bounded polling for outcomes that another thread or process produces.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null) =>
        Assert.True(await WithinAsync(condition, timeout ?? TimeSpan.FromSeconds(15)), because);

    /// <summary>True as soon as <paramref name="condition"/> holds; false when it did not within <paramref name="timeout"/>.</summary>
    public static async Task<bool> WithinAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        return true;
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
