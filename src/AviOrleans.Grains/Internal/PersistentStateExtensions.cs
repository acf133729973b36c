using Orleans.Storage;

namespace AviOrleans.Grains.Internal;

/// <summary>
/// Grain state writes as the control plane reports them: a store that cannot take the write (down,
/// full) or an ETag conflict (a stale activation) is an <see cref="HaStorageException"/> (UNAVAILABLE:
/// nothing was changed, retry), never an unknown error.
/// </summary>
internal static class PersistentStateExtensions
{
    public static async Task SaveAsync<T>(this IPersistentState<T> state, string what, CancellationToken cancellationToken = default)
    {
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (InconsistentStateException ex)
        {
            throw new HaStorageException($"{what} was changed by another activation; retry.", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new HaStorageException($"The change to {what} could not be saved: {ex.Message}", ex);
        }
    }

    public static async Task ForgetAsync<T>(this IPersistentState<T> state, string what)
    {
        try
        {
            await state.ClearStateAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new HaStorageException($"The deletion of {what} could not be saved: {ex.Message}", ex);
        }
    }
}
