namespace AviOrleans.Silo.Tests;

/// <summary>Polls a condition that the cluster makes true by itself (a gossip, a table refresh), within a bound.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string? because = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(InProcessSilo.Bound);
        while (!condition())
        {
            try
            {
                await Task.Delay(25, timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail("not true within " + InProcessSilo.Bound + (because is null ? string.Empty : ": " + because));
            }
        }
    }
}
