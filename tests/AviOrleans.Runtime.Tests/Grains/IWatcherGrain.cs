using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

/// <summary>Follows the membership view the way the HA grains will: observer on a pool thread, state changed in a turn.</summary>
[PinnedPlacement]
public interface IWatcherGrain : IGrainWithStringKey
{
    Task<int> GetActiveSiloCountAsync();
}
