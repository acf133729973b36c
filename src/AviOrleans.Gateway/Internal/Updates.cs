using AviOrleans.Grains;

namespace AviOrleans.Gateway.Internal;

/// <summary>Read-modify-write of an Update: retried when another change slipped in between.</summary>
internal static class Updates
{
    /// <summary>How many times an update is tried before ABORTED reaches the client.</summary>
    public const int Attempts = 5;

    public static async Task<T> RetryAsync<T>(Func<Task<T>> readModifyWrite)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await readModifyWrite();
            }
            catch (HaConflictException) when (attempt < Attempts)
            {
                // The object changed between our read and our write: read it again.
            }
        }
    }
}
