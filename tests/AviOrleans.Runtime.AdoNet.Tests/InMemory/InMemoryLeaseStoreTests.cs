using AviOrleans.Runtime.AdoNet.Tests.Contract;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Storage;
using Microsoft.Extensions.Time.Testing;

namespace AviOrleans.Runtime.AdoNet.Tests.InMemory;

/// <summary>The lease contract against <see cref="InMemoryLeaseStore"/>, its clock driven by the test.</summary>
public sealed class InMemoryLeaseStoreTests : LeaseStoreContractTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, InMemoryLeaseStore> _stores = [];

    protected override DateTimeOffset ExpectedStoreNow => _clock.GetUtcNow();

    protected override Task<ILeaseStore> CreateStoreAsync(string clusterId)
    {
        lock (_stores)
        {
            if (!_stores.TryGetValue(clusterId, out var store))
            {
                _stores[clusterId] = store = new InMemoryLeaseStore(_clock);
            }

            return Task.FromResult<ILeaseStore>(store);
        }
    }

    protected override async Task<(ILeaseStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string clusterId)
    {
        var store = (InMemoryLeaseStore)await CreateStoreAsync(clusterId);
        return (store, new DelegateOutage(
            () => { store.IsAvailable = false; return Task.CompletedTask; },
            () => { store.IsAvailable = true; return Task.CompletedTask; }));
    }

    protected override Task LetStoreTimePassAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }
}
