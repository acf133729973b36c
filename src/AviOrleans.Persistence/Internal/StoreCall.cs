namespace AviOrleans.Persistence.Internal;

/// <summary>
/// Runs one call of an Orleans ADO.NET provider and turns a driver failure into the <see cref="StoreException"/>
/// naming the store and the operation (the providers let the raw driver exception through).
/// </summary>
internal static class StoreCall
{
    public static async Task RunAsync(StoreDatabase database, string operation, Func<Task> call, CancellationToken cancellationToken = default)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (database.Translate(operation, ex, cancellationToken) is { } translated && !ReferenceEquals(translated, ex))
        {
            throw translated;
        }
    }

    public static async Task<T> RunAsync<T>(StoreDatabase database, string operation, Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (database.Translate(operation, ex, cancellationToken) is { } translated && !ReferenceEquals(translated, ex))
        {
            throw translated;
        }
    }
}
