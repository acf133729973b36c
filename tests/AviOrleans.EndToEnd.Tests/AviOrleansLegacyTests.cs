using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>
/// Legacy active/standby beyond one fault: compacted and distributed by tag, what a restarted silo does (no old VIPs
/// back, failback only when <c>auto_redistribute_active_standby_load</c> says so), every VIP served from the survivor
/// and never on two hosts at once (sampled every 10 ms on every host).
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class AviOrleansLegacyTests
{
    private static readonly IPAddress Vip1 = VirtualLan.Vip(0);
    private static readonly IPAddress Vip2 = VirtualLan.Vip(1);

    [Fact]
    public async Task Compacted_ActiveKilledThenRestarted_SurvivorKeepsEveryVip_NoFailback()
    {
        await using var lan = await SiloLan.CreateAsync(["se1", "se2"], Pair(distribute: false, failback: false));
        await lan.StartAsync("se1", "se2");
        // Compacted: both virtual services active on one SE, the other standing by.
        await lan.PlacementAsync("vs1", p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef == "se1" && p.Vip[0].StandbySeRef == "se2", "vs1 active on se1");
        await lan.PlacementAsync("vs2", p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef == "se1", "vs2 active on se1 (compacted)");
        await lan.VipOnAsync(Vip1, "se1");
        await lan.VipOnAsync(Vip2, "se1");
        await using var sampler = OwnershipSampler.Start(lan.Lan, [Vip1, Vip2]);
        await using var probe1 = Probe(lan, Vip1);
        await using var probe2 = Probe(lan, Vip2);
        await probe1.WaitForAnswerAsync("se1", TimeSpan.FromSeconds(15), cancellationToken: SiloLan.Ct);

        var kill = lan.Cluster.Kill(lan.Host("se1"));
        await lan.AnsweredByAsync(probe1, "se2", kill.Started);
        await lan.AnsweredByAsync(probe2, "se2", kill.Started);
        await lan.PlacementAsync("vs1", p => p.State == PlacementState.HaCompromised && p.Vip[0].ActiveSeRef == "se2", "vs1 failed over, HA compromised");

        // The same command line again on se1: a new incarnation joins as the standby and adds nothing.
        var rejoined = LanTime.Now;
        await lan.Cluster.StartAsync(lan.Host("se1"), new() { ConfigurationFile = lan.ConfigurationFile }, SiloLan.Ct);
        await lan.PlacementAsync("vs1", p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef == "se2" && p.Vip[0].StandbySeRef == "se1", "se1 back as the standby of vs1");
        await lan.PlacementAsync("vs2", p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef == "se2", "vs2 stays on se2");
        await Task.Delay(TimeSpan.FromSeconds(3), SiloLan.Ct);
        await sampler.StopAsync();

        lan.AssertNoDuplicate(sampler, sampler.Samples[0].Started);
        Assert.DoesNotContain(sampler.Samples, s => s.Started >= rejoined && (s.Owners(Vip1).Contains("se1") || s.Owners(Vip2).Contains("se1")));
        Assert.Equal(["se2"], lan.Owners(Vip1));
        Assert.Equal(["se2"], lan.Owners(Vip2));
        Assert.DoesNotContain(probe1.Attempts, a => a.Started >= rejoined && a.IsAnsweredBy("se1"));
    }

    [Fact]
    public async Task DistributedByTag_ActiveOfOneKilled_ItsVipMoves_TheOtherStays_FailbackWhenConfigured()
    {
        await using var lan = await SiloLan.CreateAsync(["se1", "se2"], Pair(distribute: true, failback: true));
        await lan.StartAsync("se1", "se2");
        // Distributed: ACTIVE_STANDBY_SE_1-tagged on one SE, ACTIVE_STANDBY_SE_2-tagged on the other.
        var first = await lan.PlacementAsync("vs1", p => p.State == PlacementState.Placed, "vs1 placed");
        var second = await lan.PlacementAsync("vs2", p => p.State == PlacementState.Placed, "vs2 placed");
        var (a, b) = (first.Vip[0].ActiveSeRef, second.Vip[0].ActiveSeRef);
        Assert.NotEqual(a, b);
        await lan.VipOnAsync(Vip1, a);
        await lan.VipOnAsync(Vip2, b);
        await using var sampler = OwnershipSampler.Start(lan.Lan, [Vip1, Vip2]);
        await using var probe1 = Probe(lan, Vip1);
        await using var probe2 = Probe(lan, Vip2);
        await probe1.WaitForAnswerAsync(a, TimeSpan.FromSeconds(15), cancellationToken: SiloLan.Ct);
        await probe2.WaitForAnswerAsync(b, TimeSpan.FromSeconds(15), cancellationToken: SiloLan.Ct);

        var kill = lan.Cluster.Kill(lan.Host(a));
        await lan.AnsweredByAsync(probe1, b, kill.Started);
        var beforeRestart = LanTime.Now;
        Assert.DoesNotContain(probe2.Attempts, x => x.Started >= kill.Started && x.IsAnsweredBy(a));

        // auto_redistribute_active_standby_load: the tagged virtual service goes back once its SE returns.
        await lan.Cluster.StartAsync(lan.Host(a), new() { ConfigurationFile = lan.ConfigurationFile }, SiloLan.Ct);
        await lan.PlacementAsync("vs1", p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef == a && p.Vip[0].StandbySeRef == b, $"vs1 fails back to {a}");
        await lan.AnsweredByAsync(probe1, a, beforeRestart);
        await lan.VipOnAsync(Vip1, a);
        await sampler.StopAsync();

        lan.AssertNoDuplicate(sampler, sampler.Samples[0].Started);
        Assert.Equal([b], lan.Owners(Vip2));
        // vs2 was never disturbed: every connection to its VIP was answered by its SE.
        Assert.All(probe2.Attempts.Where(x => x.Completed < LanTime.Now + TimeSpan.FromMilliseconds(-100)), x => Assert.True(x.IsAnsweredBy(b), VipProbe.Describe([x])));
    }

    private static VipProbe Probe(SiloLan lan, IPAddress vip) => VipProbe.Start(lan.Lan.Client, new IPEndPoint(vip, lan.Lan.ServicePort));

    private static string Pair(bool distribute, bool failback) => $$"""
        {
          "serviceenginegroup": [ {
            "name": "pair", "ha_mode": "HA_MODE_LEGACY_ACTIVE_STANDBY",
            "distribute_load_active_standby": {{(distribute ? "true" : "false")}},
            "auto_redistribute_active_standby_load": {{(failback ? "true" : "false")}}
          } ],
          "serviceengine": [
            { "name": "se1", "se_group_ref": "pair" },
            { "name": "se2", "se_group_ref": "pair" }
          ],
          "virtualservice": [
            { "name": "vs1", "se_group_ref": "pair", "vip": [ { "vip_id": "0", "ip_address": "{{Vip1}}" } ], "active_standby_se_tag": "ACTIVE_STANDBY_SE_1" },
            { "name": "vs2", "se_group_ref": "pair", "vip": [ { "vip_id": "0", "ip_address": "{{Vip2}}" } ], "active_standby_se_tag": "ACTIVE_STANDBY_SE_2" }
          ]
        }
        """;
}
