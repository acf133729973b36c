using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public interface ISignalGrain : IGrainWithStringKey
{
    /// <summary>Waits (up to <paramref name="waitMs"/>) for <see cref="SignalAsync"/>; true when it came in time.</summary>
    Task<bool> WaitForSignalAsync(int waitMs);

    Task SignalAsync();

    [AlwaysInterleave]
    Task SignalInterleavedAsync();
}
