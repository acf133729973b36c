using AviOrleans.Persistence.Leases;
using Microsoft.Extensions.Time.Testing;

namespace AviOrleans.Persistence.Tests.Contract;

/// <summary>The lease contract on the in-memory store, with a driven clock as the "store's clock".</summary>
public sealed class InMemoryLeaseStoreTests : LeaseStoreContractTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly Dictionary<string, InMemoryLeaseStore> _stores = [];

    protected override DateTimeOffset ExpectedStoreNow => _clock.GetUtcNow();

    // Every client of one cluster shares its store, as silos share a database.
    protected override Task<ILeaseStore> CreateStoreAsync(string clusterId)
    {
        if (!_stores.TryGetValue(clusterId, out var store))
        {
            _stores[clusterId] = store = new InMemoryLeaseStore(_clock);
        }

        return Task.FromResult<ILeaseStore>(store);
    }

    protected override async Task<(ILeaseStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string clusterId)
    {
        var store = await CreateStoreAsync(clusterId);
        return (store, new Switch((InMemoryLeaseStore)store));
    }

    protected override Task LetStoreTimePassAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    private sealed class Switch(InMemoryLeaseStore store) : IStoreOutage
    {
        public Task StartAsync()
        {
            store.IsAvailable = false;
            return Task.CompletedTask;
        }

        public Task EndAsync()
        {
            store.IsAvailable = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
