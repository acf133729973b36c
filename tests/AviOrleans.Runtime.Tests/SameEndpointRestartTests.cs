using System.Net;
using AviOrleans.Runtime.Internal;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Tests.Grains;
using AviOrleans.Testing;

namespace AviOrleans.Runtime.Tests;

/// <summary>A crashed silo restarted on its own endpoint (a new generation): the old incarnation must be declared dead.</summary>
public sealed class SameEndpointRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KillAndRestartOnSameEndpoint_TwoSilos_OldRowDeadNewActiveAndPinnedGrainOnNewIncarnation()
    {
        await using var cluster = await TestClusters.StartAsync(2);
        var old = cluster.Silos[1];
        Assert.Equal(old.Name, await cluster.Client.GetGrain<IPinnedGrain>(old.Name).GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct));

        var restarted = await cluster.KillAndRestartOnSameEndpointAsync(old, Ct).WaitAsync(TestClusters.Patience, Ct);
        // The new incarnation declared its predecessor dead while joining, not later through probes and votes.
        Assert.Equal(SiloStatus.Dead, restarted.Membership.Current.GetStatus(old.Address));
        await cluster.WaitForLivenessToStabilizeAsync(TestClusters.Patience, Ct);

        Assert.Equal(old.Address.Endpoint, restarted.Address.Endpoint);
        Assert.True(restarted.Address.Generation > old.Address.Generation);
        var table = await cluster.MembershipTable.ReadAllAsync(Ct);
        Assert.Equal(SiloStatus.Dead, table.Entries.Single(r => r.Entry.Silo == old.Address).Entry.Status);
        Assert.Equal(SiloStatus.Active, table.Entries.Single(r => r.Entry.Silo == restarted.Address).Entry.Status);
        Assert.Equal(SiloStatus.Dead, TestCluster.StatusIn(cluster.Silos[0], old));
        Assert.Equal(old.Name, await cluster.Client.GetGrain<IPinnedGrain>(old.Name).GetSiloNameAsync().WaitAsync(TestClusters.Patience, Ct));
        Assert.True(restarted.HasActivation(new GrainId("pinned", old.Name)));
    }

    [Fact]
    public async Task KillAndRestartOnSameEndpoint_SingleSilo_OldRowDeadNewActive()
    {
        await using var cluster = await TestClusters.StartAsync(1);
        var old = cluster.Silos[0];

        var restarted = await cluster.KillAndRestartOnSameEndpointAsync(old, Ct).WaitAsync(TestClusters.Patience, Ct);
        // The new incarnation declared its predecessor dead while joining, not later through probes and votes.
        Assert.Equal(SiloStatus.Dead, restarted.Membership.Current.GetStatus(old.Address));
        await cluster.WaitForLivenessToStabilizeAsync(TestClusters.Patience, Ct);

        Assert.Equal(old.Address.Endpoint, restarted.Address.Endpoint);
        var table = await cluster.MembershipTable.ReadAllAsync(Ct);
        Assert.Equal(SiloStatus.Dead, table.Entries.Single(r => r.Entry.Silo == old.Address).Entry.Status);
        Assert.Equal(SiloStatus.Active, table.Entries.Single(r => r.Entry.Silo == restarted.Address).Entry.Status);
        Assert.Equal([restarted.Address], restarted.Membership.Current.ActiveSilos);
    }

    [Fact]
    public void ProbeReply_AnsweredByAnotherGenerationAtTheProbedEndpoint_IsAMiss()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, 11111);
        var probed = new SiloAddress(endpoint, 100);
        var successor = new SiloAddress(endpoint, 101);

        var reply = ProbeReply.Decode(ProbeReply.Encode(successor, proberIsDead: false));

        Assert.Equal(successor, reply.Responder);
        Assert.False(reply.IsFrom(probed));
        Assert.True(reply.IsFrom(successor));
    }

    [Fact]
    public void ProbeReply_RoundTrip_KeepsResponderAndDeadFlag()
    {
        var responder = new SiloAddress(new IPEndPoint(IPAddress.IPv6Loopback, 30000), 7);

        var reply = ProbeReply.Decode(ProbeReply.Encode(responder, proberIsDead: true));

        Assert.Equal(responder, reply.Responder);
        Assert.True(reply.ProberIsDead);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 2, (byte)'x' })]
    [InlineData(new byte[] { 0, (byte)'x' })]
    public void ProbeReply_Malformed_Throws(byte[] bytes) =>
        Assert.Throws<FormatException>(() => ProbeReply.Decode(bytes));

    [Fact]
    public void FindActiveByName_OlderIncarnationStillActiveWhileSuccessorJoins_IsNotChosen()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, 11111);
        var crashed = new SiloAddress(endpoint, 100);
        var joining = new SiloAddress(endpoint, 101);
        var snapshot = new MembershipSnapshot(new TableVersion(3, "3"),
        [
            new MembershipEntry { Silo = crashed, SiloName = "se-1", HostName = "h", Status = SiloStatus.Active, StartTime = DateTimeOffset.UnixEpoch, IAmAliveTime = DateTimeOffset.UnixEpoch },
            new MembershipEntry { Silo = joining, SiloName = "se-1", HostName = "h", Status = SiloStatus.Joining, StartTime = DateTimeOffset.UnixEpoch, IAmAliveTime = DateTimeOffset.UnixEpoch },
        ]);

        Assert.Null(snapshot.FindActiveByName("se-1"));
        Assert.True(snapshot.IsSuperseded(crashed));
        Assert.False(snapshot.IsSuperseded(joining));
    }
}
