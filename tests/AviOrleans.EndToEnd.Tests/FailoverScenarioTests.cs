using AviOrleans.Testing.Lan;
using AviOrleans.Testing.Lan.Failover;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>
/// The failover scenario measures a real failover end to end, on keepalived (VRRPv3, advert_int 0.1, the anchor's fast
/// setting, so each run takes a second or two): the chain the failover bench and the AviOrleans end-to-end tests rely on.
/// Times are the bench's business; these tests check what happened. They run alone (<see cref="RunsAlone"/>).
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class FailoverScenarioTests
{
    [Fact]
    public async Task Keepalived_ActiveHostFrozen_SurvivorAnswersArpMovesNoDuplicate()
    {
        Requirements.Require(LanPrerequisites.Keepalived);
        await using var lan = await StartLanAsync();

        var result = await FailoverScenario.RunAsync(lan, new KeepalivedSystem(KeepalivedOptions.Fast), new FailoverRunOptions { Fault = FailoverFault.HostFreeze }, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, Describe(result));
        Assert.NotNull(result.ArpSwitch);
        Assert.Equal(0, result.DuplicateSamples);
        Assert.Null(result.OldHostLastAnswer);
        Assert.DoesNotContain(result.Attempts, a => a.IsAnsweredBy("se1"));
        Assert.True(result.Samples > 0);
        await AssertResetAsync(lan);
    }

    [Fact]
    public async Task Keepalived_AgentKilled_OldHostKeepsAnsweringAndHoldsTheVipTwice()
    {
        Requirements.Require(LanPrerequisites.Keepalived);
        await using var lan = await StartLanAsync();

        var result = await FailoverScenario.RunAsync(lan, new KeepalivedSystem(KeepalivedOptions.Fast), new FailoverRunOptions { Fault = FailoverFault.AgentKill }, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, Describe(result));
        // keepalived leaves its VIP configured when killed: the old host answers a client with a stale ARP entry for
        // as long as anyone watches, and the VIP is on two live hosts from the takeover on.
        Assert.True(result.OldHostStillAnswering, Describe(result));
        Assert.True(result.DuplicateSamples > 0, Describe(result));
        await AssertResetAsync(lan);
    }

    [Fact]
    public async Task Keepalived_ActivePartitioned_BothBecomeMaster_ClientMovesToTheOther()
    {
        Requirements.Require(LanPrerequisites.Keepalived, LanPrerequisites.Nft);
        await using var lan = await StartLanAsync();

        var result = await FailoverScenario.RunAsync(lan, new KeepalivedSystem(KeepalivedOptions.Fast), new FailoverRunOptions { Fault = FailoverFault.Partition }, TestContext.Current.CancellationToken);

        // The bridge drops se1's adverts to se2 (multicast), so se2 takes over while se1 stays master: VRRP's split brain.
        Assert.True(result.Succeeded, Describe(result));
        Assert.True(result.DuplicateSamples > 0, Describe(result));
        Assert.True(result.OldHostStillAnswering, Describe(result));
        await AssertResetAsync(lan);
    }

    [Fact]
    public async Task Floor_VipAddedByHandOnTheSurvivor_ClientFollowsTheGratuitousArp()
    {
        Requirements.Require();
        await using var lan = await StartLanAsync();

        var result = await FailoverScenario.MeasureFloorAsync(lan, VirtualLan.Vip(0), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, Describe(result));
        // The client learnt the survivor's MAC from the gratuitous ARP. Not compared with the first answer's time: the
        // neighbour event is stamped when the harness reads it, which a loaded machine delays.
        Assert.NotNull(result.ArpSwitch);
        await AssertResetAsync(lan);
    }

    private static Task<VirtualLan> StartLanAsync() =>
        VirtualLan.StartAsync(new LanOptions { Clients = ["cli", "stale"], StoreConnectionString = null }, TestContext.Current.CancellationToken);

    private static async Task AssertResetAsync(VirtualLan lan)
    {
        // The scenario puts everything back, so runs can follow each other on one LAN.
        Assert.All(lan.Hosts, h => Assert.DoesNotContain(VirtualLan.Vip(0), h.ReadInterface().Addresses));
        Assert.All(lan.Hosts, h => Assert.False(h.IsFrozen || h.IsPartitioned));
        Assert.All(lan.Hosts, h => Assert.Equal([h.Banner!.Pid], h.ProcessIds()));
        Assert.All(lan.Clients, c => Assert.Null(c.Neighbor(VirtualLan.Vip(0))));
        Assert.Equal("se1", (await lan.Client.ConnectAsync(new System.Net.IPEndPoint(lan.Hosts[0].Address, lan.ServicePort), TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).Answer);
    }

    internal static string Describe(FailoverRunResult result) =>
        $"{result.System} {result.Fault}: failover {result.Failover?.TotalMilliseconds:0.0} ms, ARP {result.ArpSwitch?.TotalMilliseconds:0.0} ms, " +
        $"duplicates {result.DuplicateSamples}/{result.Samples}, old host last answer {result.OldHostLastAnswer?.TotalMilliseconds:0.0} ms " +
        $"(still answering: {result.OldHostStillAnswering}), attempts: {VipProbe.Describe(result.Attempts.Take(60))}";
}
