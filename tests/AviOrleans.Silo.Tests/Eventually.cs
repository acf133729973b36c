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

    /// <summary>
    /// Reads with <paramref name="read"/> until <paramref name="done"/> holds for what it returns, within the bound; a
    /// read that fails with an exception <paramref name="retry"/> accepts (the cluster is still moving) is tried again.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<Exception, bool> retry, string because)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(InProcessSilo.Bound);
        var last = "nothing read";
        while (true)
        {
            try
            {
                var value = await read();
                if (done(value))
                {
                    return value;
                }

                last = "read " + value;
            }
            catch (Exception ex) when (retry(ex))
            {
                last = ex.GetType().Name + ": " + ex.Message;
            }

            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"not true within {InProcessSilo.Bound}: {because}; last: {last}");
            }
        }
    }
}
