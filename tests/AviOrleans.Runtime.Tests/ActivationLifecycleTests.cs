using AviOrleans.Runtime.Storage;
using AviOrleans.Runtime.Tests.Grains;
using AviOrleans.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AviOrleans.Runtime.Tests;

public sealed class ActivationLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StaleETag_WriteAfterAnotherWriter_ThrowsInconsistentStateAndDeactivates()
    {
        await using var cluster = await TestClusters.StartAsync(2);
        var key = "etag-" + Guid.NewGuid();
        var counter = cluster.Client.GetGrain<ICounterGrain>(key);
        Assert.Equal(1, await counter.AddAsync(1).WaitAsync(TestClusters.Patience, Ct));
        var grainId = new GrainId("counter", key);
        var host = cluster.FindActivation(grainId)!;

        // Another writer (a duplicate activation during a membership change) writes newer state behind its back.
        var stored = await cluster.StateStore.ReadAsync("counter.counter", key, Ct);
        await cluster.StateStore.WriteAsync("counter.counter", key, "{\"Value\":100}"u8.ToArray(), stored!.ETag, Ct);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => counter.AddAsync(1).WaitAsync(TestClusters.Patience, Ct));
        Assert.Contains("Version conflict", error.Message, StringComparison.Ordinal);
        await WaitUntilAsync(() => !host.HasActivation(grainId));

        Assert.Equal(101, await counter.AddAsync(1).WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task IdleActivation_OlderThanCollectionAge_IsCollectedAndReactivatesWithState()
    {
        await using var cluster = await TestClusters.StartAsync(1, o =>
        {
            o.Collection.CollectionAge = TimeSpan.FromMilliseconds(300);
            o.Collection.CollectionQuantum = TimeSpan.FromMilliseconds(100);
        });
        var key = "idle-" + Guid.NewGuid();
        var counter = cluster.Client.GetGrain<ICounterGrain>(key);
        var grainId = new GrainId("counter", key);
        await counter.AddUnsavedAsync(9).WaitAsync(TestClusters.Patience, Ct);
        Assert.True(cluster.Silos[0].HasActivation(grainId));

        await WaitUntilAsync(() => !cluster.Silos[0].HasActivation(grainId));

        Assert.Equal(9, await counter.GetAsync().WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task DeactivateOnIdle_Requested_DeactivatesAfterTheCallAndNextCallReactivates()
    {
        await using var cluster = await TestClusters.StartAsync(1);
        var key = "request-" + Guid.NewGuid();
        var counter = cluster.Client.GetGrain<ICounterGrain>(key);
        var grainId = new GrainId("counter", key);
        await counter.AddUnsavedAsync(3).WaitAsync(TestClusters.Patience, Ct);

        await counter.DeactivateAsync().WaitAsync(TestClusters.Patience, Ct);
        await WaitUntilAsync(() => !cluster.Silos[0].HasActivation(grainId));

        Assert.Equal(3, await counter.GetAsync().WaitAsync(TestClusters.Patience, Ct));
        Assert.True(cluster.Silos[0].HasActivation(grainId));
    }

    [Fact]
    public async Task IdleCollection_DrivenByFakeClock_CollectsOnlyAfterTheAge()
    {
        var clock = new FakeTimeProvider();
        var options = TestClusters.Options(1, o =>
        {
            o.Collection.CollectionAge = TimeSpan.FromMinutes(10);
            o.Collection.CollectionQuantum = TimeSpan.FromMinutes(1);
        });
        options.TimeProvider = clock;
        await using var cluster = await TestCluster.StartAsync(options, Ct);
        var key = "fake-clock-" + Guid.NewGuid();
        var grainId = new GrainId("counter", key);
        await cluster.Client.GetGrain<ICounterGrain>(key).AddAsync(1).WaitAsync(TestClusters.Patience, Ct);

        clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(50, Ct);
        Assert.True(cluster.Silos[0].HasActivation(grainId));

        clock.Advance(TimeSpan.FromMinutes(6));
        await WaitUntilAsync(() => !cluster.Silos[0].HasActivation(grainId));
    }

    [Fact]
    public async Task LocalCall_MutableArgumentAndResult_AreCopiedNotShared()
    {
        await using var cluster = await TestClusters.StartAsync(1);
        var bag = cluster.Silos[0].GrainFactory.GetGrain<IBagGrain>("bag-" + Guid.NewGuid());
        var items = new List<string> { "a", "b" };

        var returned = await bag.KeepAsync(items).WaitAsync(TestClusters.Patience, Ct);
        items.Add("mutated by the caller");
        returned.Clear();

        Assert.Equal(2, await bag.CountAsync().WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task RunAsTurn_MembershipObserverInGrain_SeesSiloDeath()
    {
        await using var cluster = await TestClusters.StartAsync(2);
        var watcher = cluster.Client.GetGrain<IWatcherGrain>(cluster.Silos[0].Name);
        await WaitUntilAsync(async () => await watcher.GetActiveSiloCountAsync() == 2);

        await cluster.KillSiloAsync(cluster.Silos[1]);

        await WaitUntilAsync(async () => await watcher.GetActiveSiloCountAsync() == 1);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TestClusters.Patience;
        while (!await condition().WaitAsync(TestClusters.Patience, Ct))
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20, Ct);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestClusters.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20, Ct);
        }
    }
}
