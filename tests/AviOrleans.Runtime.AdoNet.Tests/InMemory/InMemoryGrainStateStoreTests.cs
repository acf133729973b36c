using AviOrleans.Runtime.AdoNet.Tests.Contract;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet.Tests.InMemory;

/// <summary>The grain state contract against <see cref="InMemoryGrainStateStore"/>: one instance is one service's state.</summary>
public sealed class InMemoryGrainStateStoreTests : GrainStateStoreContractTests
{
    private readonly Dictionary<string, InMemoryGrainStateStore> _stores = [];

    protected override Task<IGrainStateStore> CreateStoreAsync(string serviceId)
    {
        lock (_stores)
        {
            if (!_stores.TryGetValue(serviceId, out var store))
            {
                _stores[serviceId] = store = new InMemoryGrainStateStore();
            }

            return Task.FromResult<IGrainStateStore>(store);
        }
    }

    protected override async Task<(IGrainStateStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string serviceId)
    {
        var store = (InMemoryGrainStateStore)await CreateStoreAsync(serviceId);
        return (store, new DelegateOutage(
            () => { store.IsAvailable = false; return Task.CompletedTask; },
            () => { store.IsAvailable = true; return Task.CompletedTask; }));
    }
}
