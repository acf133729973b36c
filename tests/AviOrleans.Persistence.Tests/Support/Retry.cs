namespace AviOrleans.Persistence.Tests.Support;

/// <summary>Retries a call while the store is still coming back (a pool may hold a connection the outage broke).</summary>
public static class Retry
{
    public static async Task<T> UnavailableAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (StoreUnavailableException) when (attempt < 50)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
    }
}
