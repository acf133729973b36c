using System.Security.Cryptography;
using AviOrleans.Runtime.Hosting;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Tests.Grains;

namespace AviOrleans.Runtime.Tests;

public sealed class ClusterKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Silo_WrongClusterKey_CannotJoin()
    {
        await using var cluster = await TestClusters.StartAsync(2);
        var options = cluster.CreateSiloOptions("intruder");
        options.ClusterKey = RandomNumberGenerator.GetBytes(32);
        await using var intruder = new Silo(options, cluster.MembershipTable, cluster.StateStore, TestGrains.Create());

        await Assert.ThrowsAsync<ClusterAuthenticationException>(() => intruder.StartAsync(Ct).WaitAsync(TestClusters.Patience, Ct));

        Assert.False(intruder.IsRunning);
        var table = await cluster.MembershipTable.ReadAllAsync(Ct);
        Assert.DoesNotContain(table.Entries, r => r.Entry.SiloName == "intruder" && r.Entry.Status == SiloStatus.Active);
        Assert.Equal(2, cluster.Silos[0].Membership.Current.ActiveSilos.Count);
    }

    [Fact]
    public async Task Client_WrongClusterKey_CannotConnectNorInvoke()
    {
        await using var cluster = await TestClusters.StartAsync(1);
        var options = new ClusterClientOptions { ClusterId = cluster.Options.ClusterId, ClusterKey = RandomNumberGenerator.GetBytes(32) };
        options.Gateways.Add(cluster.Silos[0].Address.Endpoint);
        await using var client = new ClusterClient(options);

        await Assert.ThrowsAsync<ClusterAuthenticationException>(() => client.ConnectAsync(Ct).WaitAsync(TestClusters.Patience, Ct));
        await Assert.ThrowsAsync<ClusterAuthenticationException>(() => client.GetGrain<ICounterGrain>("x").AddAsync(1).WaitAsync(TestClusters.Patience, Ct));

        Assert.Null(await cluster.StateStore.ReadAsync("counter.counter", "x", Ct));
    }

    [Fact]
    public void SiloOptions_Invalid_RefusedWithEveryReason()
    {
        var options = new SiloOptions { SiloName = "", ClusterKey = new byte[4] };
        options.Membership.ProbePeriod = TimeSpan.Zero;

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => new Silo(options, new InMemoryMembershipTable(), new Storage.InMemoryGrainStateStore(), TestGrains.Create()));

        Assert.Contains(error.Failures, f => f.Contains("SiloName", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ClusterKey", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ProbePeriod", StringComparison.Ordinal));
    }
}
