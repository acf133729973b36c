using System.Text.Json;
using AviOrleans.Runtime.Hosting;
using AviOrleans.Runtime.Integration.Tests.Grains;
using AviOrleans.Runtime.Integration.Tests.Support;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;
using AviOrleans.Testing;

namespace AviOrleans.Runtime.Integration.Tests;

/// <summary>
/// A three-silo <see cref="TestCluster"/> over real stores: kills, graceful stops, joins, a stale activation and
/// a store outage, each checked against the store's own rows. Written once; a subclass picks the store.
/// </summary>
public abstract class StoreClusterTests : IAsyncLifetime
{
    /// <summary>A bound for waits: generous, because the box is a loaded 2-core machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private ClusterStores? _stores;
    private TestCluster? _cluster;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClusterStores Stores => _stores ?? throw new InvalidOperationException("The stores were not created.");

    private TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster was not started.");

    /// <summary>The stores of one test: its own cluster and service id.</summary>
    protected abstract Task<ClusterStores> CreateStoresAsync(string id);

    public async ValueTask InitializeAsync()
    {
        _stores = await CreateStoresAsync("it-" + Guid.NewGuid().ToString("N"));
        var options = new TestClusterOptions
        {
            InitialSilosCount = 3,
            ClusterId = _stores.Id,
            Grains = new GrainRegistrations().Add<IStoredCounterGrain, StoredCounterGrain>(context => new StoredCounterGrain(context)),
            MembershipTable = _stores.MembershipTable,
            StateStore = _stores.StateStore,
        };
        options.SerializerContexts.Add(IntegrationJsonContext.Default);
        _cluster = await TestCluster.StartAsync(options, Ct).WaitAsync(Patience, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task KillSilo_HostingGrain_RowSaysDeadAndGrainReactivatesElsewhereWithStoredState()
    {
        var key = "kill-" + Guid.NewGuid();
        var counter = Cluster.Client.GetGrain<IStoredCounterGrain>(key);
        for (var i = 0; i < 5; i++)
        {
            await counter.AddAsync(1).WaitAsync(Patience, Ct);
        }

        var victim = Host(key);

        await Cluster.KillSiloAsync(victim).WaitAsync(Patience, Ct);
        var row = await WaitForRowAsync(victim.Address, SiloStatus.Dead);
        await Cluster.WaitForLivenessToStabilizeAsync(Patience, Ct);

        Assert.NotEmpty(row.SuspectTimes);
        Assert.All(row.SuspectTimes, v => Assert.NotEqual(victim.Address, v.Suspecter));
        Assert.Equal(6, await counter.AddAsync(1).WaitAsync(Patience, Ct));
        Assert.NotEqual(victim.Name, await counter.GetSiloNameAsync().WaitAsync(Patience, Ct));
        Assert.Equal(6, await StoredValueAsync(key));
    }

    [Fact]
    public async Task StopSilo_Graceful_GrainsPersistNothingLostAndRowSaysDead()
    {
        var keys = Enumerable.Range(0, 24).Select(i => $"graceful-{i}-{Guid.NewGuid()}").ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            // In memory only: the value reaches the store when the grain deactivates.
            await Cluster.Client.GetGrain<IStoredCounterGrain>(keys[i]).AddUnsavedAsync(i + 1).WaitAsync(Patience, Ct);
        }

        var victim = Cluster.Silos.MaxBy(s => keys.Count(k => s.HasActivation(Id(k))))!;
        var hosted = keys.Where(k => victim.HasActivation(Id(k))).ToList();
        Assert.NotEmpty(hosted);

        await Cluster.StopSiloAsync(victim, Ct).WaitAsync(Patience, Ct);

        // The stop returns once the row is written: no waiting for it.
        Assert.Equal(SiloStatus.Dead, (await ReadRowAsync(victim.Address)).Status);
        Assert.Equal(0, victim.ActivationCount);
        foreach (var key in hosted)
        {
            Assert.Equal(keys.IndexOf(key) + 1, await StoredValueAsync(key));
        }

        await Cluster.WaitForLivenessToStabilizeAsync(Patience, Ct);
        for (var i = 0; i < keys.Count; i++)
        {
            Assert.Equal(i + 1, await Cluster.Client.GetGrain<IStoredCounterGrain>(keys[i]).GetAsync().WaitAsync(Patience, Ct));
        }
    }

    [Fact]
    public async Task StartAdditionalSilo_Later_JoinsThroughTheTableAndTakesGrainsWithState()
    {
        var keys = Enumerable.Range(0, 40).Select(i => $"join-{i}-{Guid.NewGuid()}").ToList();
        foreach (var key in keys)
        {
            await Cluster.Client.GetGrain<IStoredCounterGrain>(key).AddAsync(5).WaitAsync(Patience, Ct);
        }

        var added = await Cluster.StartAdditionalSiloAsync(cancellationToken: Ct).WaitAsync(Patience, Ct);
        await Cluster.WaitForLivenessToStabilizeAsync(Patience, Ct);

        var row = await ReadRowAsync(added.Address);
        Assert.Equal(SiloStatus.Active, row.Status);
        Assert.Equal(added.Name, row.SiloName);
        var table = await Stores.Reader.ReadAllAsync(Ct);
        Assert.Equal(4, table.Entries.Count(r => r.Entry.Status == SiloStatus.Active));
        Assert.Equal(4, added.Membership.Current.ActiveSilos.Count);

        var placements = new List<string>();
        foreach (var key in keys)
        {
            var counter = Cluster.Client.GetGrain<IStoredCounterGrain>(key);
            Assert.Equal(6, await counter.AddAsync(1).WaitAsync(Patience, Ct));
            placements.Add(await counter.GetSiloNameAsync().WaitAsync(Patience, Ct));
            Assert.Single(Cluster.Silos, s => s.HasActivation(Id(key)));
        }

        Assert.Contains(added.Name, placements);
    }

    [Fact]
    public async Task StaleActivation_StoreWrittenBehindItsBack_WriteFailsGrainDeactivatesNextCallSeesNewerState()
    {
        var key = "stale-" + Guid.NewGuid();
        var counter = Cluster.Client.GetGrain<IStoredCounterGrain>(key);
        Assert.Equal(1, await counter.AddAsync(1).WaitAsync(Patience, Ct));
        var host = Host(key);

        // Another writer (as a duplicate activation on the far side of a membership change would) moves the ETag on.
        var stored = await Stores.StateReader.ReadAsync(StoredCounterGrain.StateType, key, Ct);
        Assert.NotNull(stored);
        await Stores.StateReader.WriteAsync(StoredCounterGrain.StateType, key, Serialize(100), stored.ETag, Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(() => counter.AddAsync(1).WaitAsync(Patience, Ct));

        Assert.Equal(100, await counter.GetAsync().WaitAsync(Patience, Ct));
        Assert.Equal(100, await StoredValueAsync(key));
        Assert.Equal(101, await counter.AddAsync(1).WaitAsync(Patience, Ct));
        Assert.Single(Cluster.Silos, s => s.HasActivation(Id(key)));
        Assert.True(host.IsRunning);
    }

    [Fact]
    public async Task StoreDown_ForAWhile_SilosServeActiveGrainsNobodyDeclaredDeadAndKillDetectedAfter()
    {
        var keys = Enumerable.Range(0, 12).Select(i => $"outage-{i}-{Guid.NewGuid()}").ToList();
        foreach (var key in keys)
        {
            await Cluster.Client.GetGrain<IStoredCounterGrain>(key).AddAsync(3).WaitAsync(Patience, Ct);
        }

        var silos = Cluster.Silos.ToList();

        await Stores.Outage.StartAsync().WaitAsync(Patience, Ct);
        try
        {
            // Longer than the stale limit of I-am-alive rows (3 x 1 s) and several table refreshes.
            var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
            while (DateTimeOffset.UtcNow < until)
            {
                foreach (var key in keys)
                {
                    Assert.Equal(3, await Cluster.Client.GetGrain<IStoredCounterGrain>(key).GetAsync().WaitAsync(Patience, Ct));
                }

                await Task.Delay(250, Ct);
            }

            Assert.All(silos, s => Assert.True(s.IsRunning, $"{s.Name} stopped: {s.StopReason}"));
            Assert.All(silos, s => Assert.Equal(3, s.Membership.Current.ActiveSilos.Count));
        }
        finally
        {
            await Stores.Outage.EndAsync().WaitAsync(Patience, Ct);
        }

        // Back: every row is still Active (read with the store), writes work again, and a kill is detected.
        foreach (var silo in silos)
        {
            Assert.Equal(SiloStatus.Active, (await ReadRowAsync(silo.Address)).Status);
        }

        Assert.All(silos, s => Assert.True(s.IsRunning, $"{s.Name} stopped: {s.StopReason}"));

        // A pooled connection broken by the outage fails its first use (StoreUnavailableException, nothing written), so the
        // first writes after it get a few bounded retries; what the grain returns is what the store holds.
        var counter = Cluster.Client.GetGrain<IStoredCounterGrain>(keys[0]);
        var written = await RetryUnavailableAsync(() => counter.AddAsync(1).WaitAsync(Patience, Ct));
        Assert.True(written > 3, $"wrote {written}");
        Assert.Equal(written, await StoredValueAsync(keys[0]));

        var victim = Host(keys[0]);
        await Cluster.KillSiloAsync(victim).WaitAsync(Patience, Ct);
        await WaitForRowAsync(victim.Address, SiloStatus.Dead);
        await Cluster.WaitForLivenessToStabilizeAsync(Patience, Ct);

        Assert.Equal(written, await RetryUnavailableAsync(() => counter.GetAsync().WaitAsync(Patience, Ct)));
        Assert.NotEqual(victim.Name, await counter.GetSiloNameAsync().WaitAsync(Patience, Ct));
        Assert.All(silos.Where(s => s != victim), s => Assert.True(s.IsRunning, $"{s.Name} stopped: {s.StopReason}"));
    }

    private static GrainId Id(string key) => new(StoredCounterGrain.GrainType, key);

    private static byte[] Serialize(int value) =>
        JsonSerializer.SerializeToUtf8Bytes(new StoredCounterState { Value = value }, IntegrationJsonContext.Default.StoredCounterState);

    private Silo Host(string key) => Assert.Single(Cluster.Silos, s => s.HasActivation(Id(key)));

    private async Task<int> StoredValueAsync(string key)
    {
        var record = await Stores.StateReader.ReadAsync(StoredCounterGrain.StateType, key, Ct);
        Assert.NotNull(record);
        return JsonSerializer.Deserialize(record.Payload.Span, IntegrationJsonContext.Default.StoredCounterState)!.Value;
    }

    private async Task<MembershipEntry> ReadRowAsync(SiloAddress silo)
    {
        var data = await RetryUnavailableAsync(() => Stores.Reader.ReadAllAsync(Ct));
        return Assert.Single(data.Entries, r => r.Entry.Silo == silo).Entry;
    }

    /// <summary>Polls the store (not a silo's view) until the row of <paramref name="silo"/> has <paramref name="status"/>.</summary>
    private async Task<MembershipEntry> WaitForRowAsync(SiloAddress silo, SiloStatus status)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(Patience);
        MembershipEntry? last = null;
        try
        {
            while (true)
            {
                last = await ReadRowAsync(silo);
                if (last.Status == status)
                {
                    return last;
                }

                await Task.Delay(50, bound.Token);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The row of {silo} did not become {status} within {Patience}; last read: {last?.Status}.");
        }
    }

    // The reader's pooled connections may have met the outage too: a few bounded retries.
    private static async Task<T> RetryUnavailableAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (StoreUnavailableException) when (attempt < 10)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), Ct);
            }
        }
    }
}
