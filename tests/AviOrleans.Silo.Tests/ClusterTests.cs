using AviOrleans.Silo.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace AviOrleans.Silo.Tests;

/// <summary>
/// Silos joining, stopping, being killed and restarting under the fast membership profile, on Orleans' test cluster.
/// <c>KillSiloAsync</c> is not a crash (the silo still writes its own death); real crashes are in SiloProcessTests.
/// </summary>
public sealed class ClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private InProcessTestCluster Cluster => fixture.Cluster;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

#pragma warning disable xUnit1051 // Grain calls take no token (the analyzer sees the Orleans proxies' cancellable overloads); each is bounded with WaitAsync.
    [Fact]
    public async Task Grains_SpreadOverSilos_AnswerFromEverySilo()
    {
        var grains = Enumerable.Range(0, 30).Select(i => Cluster.Client.GetGrain<ICounterGrain>($"spread-{Guid.NewGuid():N}-{i}")).ToList();

        var silos = await Task.WhenAll(grains.Select(g => g.SiloAsync())).WaitAsync(InProcessSilo.Bound, Ct);
        var values = await Task.WhenAll(grains.Select(g => g.AddAsync(2))).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.True(silos.Distinct().Count() > 1, "every grain landed on one silo: " + string.Join(", ", silos.Distinct()));
        Assert.All(values, v => Assert.Equal(2, v));
    }

    [Fact]
    public async Task StopSilo_ItsGrainsReactivateOnASurvivor_AndItIsDeadInEveryView()
    {
        var (grain, victim) = await GrainOnASecondaryAsync("stop");

        await Cluster.StopSiloAsync(victim);
        var silo = await grain.SiloAsync().WaitAsync(InProcessSilo.Bound, Ct);
        await EveryViewAsync(victim.SiloAddress, SiloStatus.Dead);
        await Cluster.StartAdditionalSiloAsync();

        Assert.NotEqual(victim.Name, silo);
    }

    [Fact]
    public async Task KillSilo_SurvivorsSeeItDeadAndServeItsGrains()
    {
        var (grain, victim) = await GrainOnASecondaryAsync("kill");

        await Cluster.KillSiloAsync(victim);
        await EveryViewAsync(victim.SiloAddress, SiloStatus.Dead);
        var silo = await grain.SiloAsync().WaitAsync(InProcessSilo.Bound, Ct);
        var value = await grain.AddAsync(1).WaitAsync(InProcessSilo.Bound, Ct);
        await Cluster.StartAdditionalSiloAsync();

        Assert.NotEqual(victim.Name, silo);
        Assert.True(value >= 1);
    }

    [Fact]
    public async Task RestartSilo_ComesBackAsANewGenerationAndServes()
    {
        var victim = Cluster.Silos.Skip(1).First();

        var restarted = await Cluster.RestartSiloAsync(victim);
        Assert.NotNull(restarted);
        await EveryViewAsync(restarted.SiloAddress, SiloStatus.Active);
        await EveryViewAsync(victim.SiloAddress, SiloStatus.Dead);
        var hosts = await Cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(victim.Name, restarted.Name);
        Assert.NotEqual(victim.SiloAddress, restarted.SiloAddress);
        Assert.Contains(restarted.SiloAddress, hosts.Keys);
        Assert.DoesNotContain(victim.SiloAddress, hosts.Keys);
    }

    [Fact]
    public async Task AdditionalSilo_JoinsAndLeavesCleanly()
    {
        var added = await Cluster.StartAdditionalSiloAsync();
        await EveryViewAsync(added.SiloAddress, SiloStatus.Active);
        await Cluster.StopSiloAsync(added);
        await EveryViewAsync(added.SiloAddress, SiloStatus.Dead);

        Assert.Equal(3, Cluster.GetActiveSilos().Count());
    }

    // A grain whose activation is on a secondary silo (the primary holds the test cluster's membership).
    private async Task<(ICounterGrain Grain, InProcessSiloHandle Silo)> GrainOnASecondaryAsync(string prefix)
    {
        var primary = Cluster.Silos[0].Name;
        for (var i = 0; ; i++)
        {
            var grain = Cluster.Client.GetGrain<ICounterGrain>($"{prefix}-{Guid.NewGuid():N}");
            var silo = await grain.SiloAsync().WaitAsync(InProcessSilo.Bound, Ct);
            if (silo != primary)
            {
                await grain.AddAsync(1).WaitAsync(InProcessSilo.Bound, Ct);
                return (grain, Cluster.Silos.Single(s => s.Name == silo));
            }

            Assert.True(i < 100, "no grain landed on a secondary silo");
        }
    }
#pragma warning restore xUnit1051

    private async Task EveryViewAsync(SiloAddress silo, SiloStatus status)
    {
        foreach (var survivor in Cluster.GetActiveSilos().Where(s => !s.SiloAddress.Equals(silo)))
        {
            var membership = Cluster.GetSiloServiceProvider(survivor.SiloAddress).GetRequiredService<IClusterMembershipService>();
            await Eventually.TrueAsync(() => membership.CurrentSnapshot.GetSiloStatus(silo) == status, $"{survivor.Name} does not see {silo} {status}");
        }
    }
}
