using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;
using AviOrleans.Testing.Stores;

namespace AviOrleans.Runtime.Integration.Tests.Support;

/// <summary>
/// The real stores one test cluster runs on: the membership table and the grain state store its silos share, an
/// outage that takes both down, and a second client of the same store that the test reads rows through (the
/// store's word, not a silo's view).
/// </summary>
public sealed class ClusterStores(
    string id,
    IMembershipTable membershipTable,
    IGrainStateStore stateStore,
    IMembershipTable reader,
    IGrainStateStore stateReader,
    IStoreOutage outage,
    Func<ValueTask>? cleanup = null) : IAsyncDisposable
{
    /// <summary>The cluster id and the service id of the test.</summary>
    public string Id { get; } = id;

    /// <summary>The table the silos use.</summary>
    public IMembershipTable MembershipTable { get; } = membershipTable;

    /// <summary>The state store the silos use.</summary>
    public IGrainStateStore StateStore { get; } = stateStore;

    /// <summary>Another client of the same table, for the test's own reads.</summary>
    public IMembershipTable Reader { get; } = reader;

    /// <summary>Another client of the same state store, for the test's own reads and writes.</summary>
    public IGrainStateStore StateReader { get; } = stateReader;

    /// <summary>Takes the silos' store down and brings it back.</summary>
    public IStoreOutage Outage { get; } = outage;

    public async ValueTask DisposeAsync()
    {
        await Outage.DisposeAsync();
        foreach (var store in new object[] { MembershipTable, StateStore, Reader, StateReader })
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        if (cleanup is not null)
        {
            await cleanup();
        }
    }
}
