using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet.Tests.Support;

/// <summary>Bounded retries of a store call that may meet a connection broken by an earlier outage.</summary>
public static class Retry
{
    public static async Task<T> UnavailableAsync<T>(Func<Task<T>> call, int attempts = 5)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (StoreUnavailableException) when (attempt < attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), TestContext.Current.CancellationToken);
            }
        }
    }
}
