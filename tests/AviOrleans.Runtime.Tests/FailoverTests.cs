using System.Diagnostics;
using AviOrleans.Runtime.Hosting;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Tests.Grains;
using AviOrleans.Testing;

namespace AviOrleans.Runtime.Tests;

/// <summary>Kill, stop and partition silos; each test owns its cluster.</summary>
public sealed class FailoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task KillSilo_HostingGrain_DeclaredDeadAndGrainReactivatesElsewhereWithLastState(int silos)
    {
        await using var cluster = await TestClusters.StartAsync(silos);
        var key = "kill-" + Guid.NewGuid();
        var counter = cluster.Client.GetGrain<ICounterGrain>(key);
        for (var i = 0; i < 5; i++)
        {
            await counter.AddAsync(1).WaitAsync(TestClusters.Patience, Ct);
        }

        var victim = cluster.Silos.Single(s => s.HasActivation(new GrainId("counter", key)));
        var survivors = cluster.Silos.Where(s => s != victim).ToList();

        var watch = Stopwatch.StartNew();
        await cluster.KillSiloAsync(victim).WaitAsync(TestClusters.Patience, Ct);
        await Task.WhenAll(survivors.Select(s => s.Membership.WaitForAsync(v => v.GetStatus(victim.Address) == SiloStatus.Dead, Ct)))
            .WaitAsync(TestClusters.Patience, Ct);
        var detection = watch.Elapsed;

        // Generous bound: the default detection is ~0.3-0.5 s; the bench reports the real figure.
        Assert.True(detection < TimeSpan.FromSeconds(10), $"declared dead after {detection}");

        // The voting rule: min(NumVotesForDeathDeclaration = 2, (active + 1) / 2) distinct voters.
        var row = (await cluster.MembershipTable.ReadAllAsync(Ct)).Entries.Single(r => r.Entry.Silo == victim.Address).Entry;
        Assert.Equal(Math.Min(2, (silos + 1) / 2), row.SuspectTimes.Select(v => v.Suspecter).Distinct().Count());
        Assert.Equal(6, await counter.AddAsync(1).WaitAsync(TestClusters.Patience, Ct));
        Assert.NotEqual(victim.Name, await counter.GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct));
        TestContext.Current.SendDiagnosticMessage($"{silos} silos: killed silo declared dead after {detection.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task KillSilo_CallPendingOnIt_FailsWithSiloUnavailableNotTimeout()
    {
        await using var cluster = await TestClusters.StartAsync(2);
        string key;
        var victim = cluster.Silos[1];
        do
        {
            key = "pending-" + Guid.NewGuid();
        }
        while (await cluster.Silos[0].GrainFactory.GetGrain<IFaultGrain>(key).GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct) != victim.Name);

        var pending = cluster.Silos[0].GrainFactory.GetGrain<IFaultGrain>(key).DelayAsync(60_000);
        await Task.Delay(100, Ct);
        await cluster.KillSiloAsync(victim);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => pending.WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task StopSilo_Graceful_GrainsDeactivateAndPersistNothingLost()
    {
        await using var cluster = await TestClusters.StartAsync(3);
        var keys = Enumerable.Range(0, 30).Select(i => $"graceful-{i}-{Guid.NewGuid()}").ToList();
        foreach (var key in keys)
        {
            // In memory only: the grain persists when it deactivates.
            await cluster.Client.GetGrain<ICounterGrain>(key).AddUnsavedAsync(keys.IndexOf(key) + 1).WaitAsync(TestClusters.Patience, Ct);
        }

        var victim = cluster.Silos[0];
        var hosted = keys.Where(k => victim.HasActivation(new GrainId("counter", k))).ToList();
        Assert.NotEmpty(hosted);

        await cluster.StopSiloAsync(victim, Ct).WaitAsync(TestClusters.Patience, Ct);
        await Task.WhenAll(cluster.Silos.Select(s => s.Membership.WaitForAsync(v => v.GetStatus(victim.Address) == SiloStatus.Dead, Ct)))
            .WaitAsync(TestClusters.Patience, Ct);

        Assert.Equal(0, victim.ActivationCount);
        foreach (var key in keys)
        {
            Assert.Equal(keys.IndexOf(key) + 1, await cluster.Client.GetGrain<ICounterGrain>(key).GetAsync().WaitAsync(TestClusters.Patience, Ct));
        }
    }

    [Fact]
    public async Task StopSilo_HundredCallsPendingOnItsGrain_AllCompleteInOrderOnNewOwner()
    {
        await using var cluster = await TestClusters.StartAsync(3);
        var key = "forward-" + Guid.NewGuid();
        var grainId = new GrainId("counter", key);
        await cluster.Client.GetGrain<ICounterGrain>(key).AddAsync(0).WaitAsync(TestClusters.Patience, Ct);
        var victim = cluster.FindActivation(grainId)!;
        var caller = cluster.Silos.First(s => s != victim);

        var calls = Enumerable.Range(0, 100).Select(_ => caller.GrainFactory.GetGrain<ICounterGrain>(key).AddAsync(1)).ToList();
        var stop = cluster.StopSiloAsync(victim, Ct);
        var results = await Task.WhenAll(calls).WaitAsync(TestClusters.Patience, Ct);
        await stop.WaitAsync(TestClusters.Patience, Ct);

        // Every call ran exactly once against one activation at a time: the values are 1..100, no conflict.
        Assert.Equal(Enumerable.Range(1, 100), results.Order());
        Assert.Equal(100, await caller.GrainFactory.GetGrain<ICounterGrain>(key).GetAsync().WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task Client_GatewayKilled_NextCallGoesThroughAnotherGateway()
    {
        await using var cluster = await TestClusters.StartAsync(2);
        var key = "gateway-" + Guid.NewGuid();
        await cluster.Client.GetGrain<ICounterGrain>(key).AddAsync(1).WaitAsync(TestClusters.Patience, Ct);

        // The client connects to the first gateway: silo-1.
        var gateway = cluster.Silos[0];
        await cluster.KillSiloAsync(gateway);
        await Task.WhenAll(cluster.Silos.Select(s => s.Membership.WaitForAsync(v => v.GetStatus(gateway.Address) == SiloStatus.Dead, Ct)))
            .WaitAsync(TestClusters.Patience, Ct);

        Assert.Equal(2, await cluster.Client.GetGrain<ICounterGrain>(key).AddAsync(1).WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task Partition_SiloStopsAnsweringProbes_DeclaredDeadStopsItselfAndGrainsMove()
    {
        await using var cluster = await TestClusters.StartAsync(3);
        var key = "partition-" + Guid.NewGuid();
        var counter = cluster.Client.GetGrain<ICounterGrain>(key);
        await counter.AddAsync(41).WaitAsync(TestClusters.Patience, Ct);
        var victim = cluster.Silos.Single(s => s.HasActivation(new GrainId("counter", key)));

        victim.SuspendProbeResponses = true;
        await victim.Terminated.WaitAsync(TestClusters.Patience, Ct);

        Assert.Contains("declared dead", victim.StopReason, StringComparison.Ordinal);
        await Task.WhenAll(cluster.Silos.Select(s => s.Membership.WaitForAsync(v => v.GetStatus(victim.Address) == SiloStatus.Dead, Ct)))
            .WaitAsync(TestClusters.Patience, Ct);

        // Through a survivor: the client may have had the victim as its gateway.
        var moved = cluster.Silos[0].GrainFactory.GetGrain<ICounterGrain>(key);
        Assert.Equal(42, await moved.AddAsync(1).WaitAsync(TestClusters.Patience, Ct));
        Assert.NotEqual(victim.Name, await moved.GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task PinnedGrain_SiloKilled_CallsFailFastWithSiloUnavailable()
    {
        await using var cluster = await TestClusters.StartAsync(2);
        var victim = cluster.Silos[1];
        Assert.Equal(victim.Name, await cluster.Client.GetGrain<IPinnedGrain>(victim.Name).GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct));

        await cluster.KillSiloAsync(victim);
        await cluster.WaitForLivenessToStabilizeAsync(TestClusters.Patience, Ct);
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<SiloUnavailableException>(() => cluster.Client.GetGrain<IPinnedGrain>(victim.Name).GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task RestartSilo_SameName_NewGenerationJoinsAndServesPinnedGrain()
    {
        await using var cluster = await TestClusters.StartAsync(2);
        var old = cluster.Silos[1];

        var restarted = await cluster.RestartSiloAsync(old, Ct).WaitAsync(TestClusters.Patience, Ct);
        await cluster.WaitForLivenessToStabilizeAsync(TestClusters.Patience, Ct);

        Assert.Equal(old.Name, restarted.Name);
        Assert.True(restarted.Address.Generation > old.Address.Generation);
        Assert.Equal(old.Name, await cluster.Client.GetGrain<IPinnedGrain>(old.Name).GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct));
    }

    [Fact]
    public async Task StartAdditionalSilo_Joins_SomeGrainsMoveToItWithState()
    {
        await using var cluster = await TestClusters.StartAsync(1);
        var keys = Enumerable.Range(0, 40).Select(i => $"join-{i}-{Guid.NewGuid()}").ToList();
        foreach (var key in keys)
        {
            await cluster.Client.GetGrain<ICounterGrain>(key).AddAsync(7).WaitAsync(TestClusters.Patience, Ct);
        }

        var added = await cluster.StartAdditionalSiloAsync(cancellationToken: Ct);
        await cluster.WaitForLivenessToStabilizeAsync(TestClusters.Patience, Ct);

        var placements = new List<string>();
        foreach (var key in keys)
        {
            Assert.Equal(8, await cluster.Client.GetGrain<ICounterGrain>(key).AddAsync(1).WaitAsync(TestClusters.Patience, Ct));
            placements.Add(await cluster.Client.GetGrain<ICounterGrain>(key).GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct));
        }

        Assert.Contains(added.Name, placements);
        foreach (var key in keys)
        {
            Assert.Single(cluster.Silos, s => s.HasActivation(new GrainId("counter", key)));
        }
    }
}
