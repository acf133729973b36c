using AviOrleans.Runtime.Tests.Grains;
using AviOrleans.Testing;

namespace AviOrleans.Runtime.Tests;

[Collection(SharedClusterDefinition.Name)]
public sealed class GrainCallTests(ClusterFixture fixture)
{
    private readonly TestCluster _cluster = fixture.Cluster;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Call_FromClient_ActivatesAndPersists()
    {
        var counter = _cluster.Client.GetGrain<ICounterGrain>("client-" + Guid.NewGuid());

        var first = await counter.AddAsync(2).WaitAsync(TestClusters.Patience, Ct);
        var second = await counter.AddAsync(3).WaitAsync(TestClusters.Patience, Ct);

        Assert.Equal(2, first);
        Assert.Equal(5, second);
        Assert.Equal(5, await counter.GetAsync().WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task SingleActivation_ThousandConcurrentCallsFromEverySilo_OneActivationSerializedTurns()
    {
        var key = "turns-" + Guid.NewGuid();
        var callers = _cluster.Silos.Select(s => s.GrainFactory).Append(_cluster.Client).ToList();

        var calls = callers.SelectMany(factory => Enumerable.Range(0, 1000).Select(_ => factory.GetGrain<ITurnGrain>(key).EnterAsync())).ToList();
        var records = await Task.WhenAll(calls).WaitAsync(TestClusters.Patience, Ct);

        Assert.Single(records.Select(r => r.ActivationId).Distinct());
        Assert.Single(records.Select(r => r.SiloName).Distinct());
        Assert.Equal(Enumerable.Range(1, records.Length), records.Select(r => r.Sequence).Order());
        Assert.Equal(1, await callers[0].GetGrain<ITurnGrain>(key).GetMaxConcurrencyAsync().WaitAsync(TestClusters.Patience, Ct));
        Assert.Single(_cluster.Silos, s => s.HasActivation(new GrainId("turn", key)));
    }

    [Fact]
    public async Task Exception_ThrownOnAnotherSilo_ReachesCallerWithTypeAndMessage()
    {
        var grain = _cluster.Client.GetGrain<IFaultGrain>("fault-" + Guid.NewGuid());

        var known = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowInvalidOperationAsync("bad state 42").WaitAsync(TestClusters.Patience, Ct));
        var custom = await Assert.ThrowsAsync<GrainException>(() => grain.ThrowCustomAsync("custom 7").WaitAsync(TestClusters.Patience, Ct));

        Assert.Equal("bad state 42", known.Message);
        Assert.Equal(typeof(CustomGrainException).FullName, custom.OriginalTypeName);
        Assert.Equal("custom 7", custom.Message);
    }

    [Fact]
    public async Task Exception_SiloToSiloCall_ReachesCallingGrainAndItsCaller()
    {
        // Pick two keys that live on different silos, so the relay is a silo-to-silo call.
        var relayKey = "relay-" + Guid.NewGuid();
        var relaySilo = await _cluster.Client.GetGrain<IFaultGrain>(relayKey).GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct);
        string targetKey;
        do
        {
            targetKey = "target-" + Guid.NewGuid();
        }
        while (await _cluster.Client.GetGrain<IFaultGrain>(targetKey).GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct) == relaySilo);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => _cluster.Client.GetGrain<IFaultGrain>(relayKey).RelayInvalidOperationAsync(targetKey, "from afar").WaitAsync(TestClusters.Patience, Ct));

        Assert.Equal("from afar", error.Message);
    }

    [Fact]
    public async Task Call_LongerThanResponseTimeout_FailsWithTimeoutException()
    {
        var client = await _cluster.CreateClientAsync(responseTimeout: TimeSpan.FromMilliseconds(300), cancellationToken: Ct);
        var grain = client.GetGrain<IFaultGrain>("slow-" + Guid.NewGuid());

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => grain.DelayAsync(5_000).WaitAsync(TestClusters.Patience, Ct));

        Assert.IsAssignableFrom<TimeoutException>(error);
        Assert.Contains("DelayAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonReentrantGrain_CallWaitingForAnother_DoesNotLetItIn()
    {
        var grain = _cluster.Client.GetGrain<ISignalGrain>("plain-" + Guid.NewGuid());

        var waiting = grain.WaitForSignalAsync(500);
        await Task.Delay(50, Ct);
        var signal = grain.SignalAsync();

        Assert.False(await waiting.WaitAsync(TestClusters.Patience, Ct));
        await signal.WaitAsync(TestClusters.Patience, Ct);
    }

    [Fact]
    public async Task ReentrantGrain_CallWaitingForAnother_LetsItIn()
    {
        var grain = _cluster.Client.GetGrain<IReentrantSignalGrain>("reentrant-" + Guid.NewGuid());

        var waiting = grain.WaitForSignalAsync(20_000);
        await Task.Delay(50, Ct);
        await grain.SignalAsync().WaitAsync(TestClusters.Patience, Ct);

        Assert.True(await waiting.WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task AlwaysInterleaveMethod_OnNonReentrantGrain_RunsWhileAnotherCallAwaits()
    {
        var grain = _cluster.Client.GetGrain<ISignalGrain>("interleave-" + Guid.NewGuid());

        var waiting = grain.WaitForSignalAsync(20_000);
        await Task.Delay(50, Ct);
        await grain.SignalInterleavedAsync().WaitAsync(TestClusters.Patience, Ct);

        Assert.True(await waiting.WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task Timer_TicksAsTurns_NeverInsideACallNorOverlapping()
    {
        var grain = _cluster.Client.GetGrain<ITimerGrain>("timer-" + Guid.NewGuid());

        await grain.StartAsync(10).WaitAsync(TestClusters.Patience, Ct);
        for (var i = 0; i < 5; i++)
        {
            await grain.SlowCallAsync(60).WaitAsync(TestClusters.Patience, Ct);
        }

        var deadline = DateTime.UtcNow + TestClusters.Patience;
        TimerStats stats;
        do
        {
            stats = await grain.GetStatsAsync().WaitAsync(TestClusters.Patience, Ct);
        }
        while (stats.Ticks < 3 && DateTime.UtcNow < deadline);

        Assert.True(stats.Ticks >= 3, $"only {stats.Ticks} ticks");
        Assert.Equal(0, stats.TicksDuringCalls);
        Assert.Equal(0, stats.OverlappingTicks);
    }

    [Fact]
    public async Task PinnedGrain_KeyNamesSilo_RunsThere()
    {
        foreach (var silo in _cluster.Silos)
        {
            var name = await _cluster.Client.GetGrain<IPinnedGrain>(silo.Name + "/agent").GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct);

            Assert.Equal(silo.Name, name);
        }
    }

    [Fact]
    public async Task PinnedGrain_SiloAbsent_FailsFastWithSiloUnavailable()
    {
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(
            () => _cluster.Client.GetGrain<IPinnedGrain>("no-such-silo").GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct));

        Assert.Contains("no-such-silo", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }
}
