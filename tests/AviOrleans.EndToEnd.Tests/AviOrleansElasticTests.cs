using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>
/// The elastic modes on the LAN. N+M: an SE carrying several virtual services dies, they are re-placed into the
/// buffer SE and served from it, and the group reports HA compromised once its buffer is used up. Active/active: a
/// virtual service on two SEs keeps serving when its primary dies, and gets its second SE back when one joins.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class AviOrleansElasticTests
{
    [Fact]
    public async Task NPlusM_SeWithTwoVirtualServicesDies_TheyMoveIntoTheBuffer_HaCompromisedWithoutBuffer()
    {
        IPAddress[] vips = [VirtualLan.Vip(0), VirtualLan.Vip(1), VirtualLan.Vip(2), VirtualLan.Vip(3)];
        await using var lan = await SiloLan.CreateAsync(["se1", "se2", "se3"], $$"""
            {
              "serviceenginegroup": [ { "name": "elastic", "ha_mode": "HA_MODE_SHARED", "algo": "PLACEMENT_ALGO_PACKED",
                                        "max_vs_per_se": 2, "buffer_se": 1, "max_se": 3 } ],
              "serviceengine": [
                { "name": "se1", "se_group_ref": "elastic" }, { "name": "se2", "se_group_ref": "elastic" }, { "name": "se3", "se_group_ref": "elastic" }
              ],
              "virtualservice": [
                {{string.Join(",\n", vips.Select((v, i) => $$"""{ "name": "vs{{i + 1}}", "se_group_ref": "elastic", "vip": [ { "vip_id": "0", "ip_address": "{{v}}" } ] }"""))}}
              ]
            }
            """);
        await lan.StartAsync("se1", "se2", "se3");
        string[] names = ["vs1", "vs2", "vs3", "vs4"];
        var before = new Dictionary<string, string>();
        foreach (var name in names)
        {
            before[name] = (await lan.PlacementAsync(name, p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef != "", $"{name} placed with the buffer intact")).Vip[0].ActiveSeRef;
        }

        // Packed, two per SE: two SEs carry two virtual services each, the third is the idle buffer.
        var loaded = before.Values.GroupBy(se => se).Where(g => g.Count() == 2).Select(g => g.Key).ToList();
        Assert.Equal(2, loaded.Count);
        var buffer = Assert.Single(new[] { "se1", "se2", "se3" }.Except(loaded));
        var victim = loaded[0];
        var moved = names.Where(n => before[n] == victim).ToList();
        var stayed = names.Except(moved).ToList();
        for (var i = 0; i < names.Length; i++)
        {
            await lan.VipOnAsync(vips[i], before[names[i]]);
        }

        await using var sampler = OwnershipSampler.Start(lan.Lan, vips);
        var probes = vips.Select(v => VipProbe.Start(lan.Lan.Client, new IPEndPoint(v, lan.Lan.ServicePort))).ToList();
        try
        {
            var kill = lan.Cluster.Kill(lan.Host(victim));
            foreach (var name in moved)
            {
                var index = Array.IndexOf(names, name);
                await lan.AnsweredByAsync(probes[index], buffer, kill.Started);
                await lan.PlacementAsync(name, p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef == buffer, $"{name} re-placed into the buffer {buffer}");
                await lan.VipOnAsync(vips[index], buffer);
            }

            foreach (var name in stayed)
            {
                var index = Array.IndexOf(names, name);
                Assert.Equal([before[name]], lan.Owners(vips[index]));
                Assert.DoesNotContain(probes[index].Attempts, a => a.Started >= kill.Started && a.Outcome == ProbeOutcome.Answered && !a.IsAnsweredBy(before[name]));
            }

            // The group, not each virtual service, is what the used-up buffer compromises (its status and VS_SE_HA_COMPROMISED).
            var status = await lan.Ha().GetServiceEngineGroupStatusAsync(new() { SeGroupRef = "elastic" }, cancellationToken: SiloLan.Ct);
            Assert.True(status.HaCompromised, status.ToString());
            Assert.Contains("buffer", status.HaCompromisedReason, StringComparison.OrdinalIgnoreCase);
            await sampler.StopAsync();
            lan.AssertNoDuplicate(sampler, sampler.Samples[0].Started);
        }
        finally
        {
            foreach (var probe in probes)
            {
                await probe.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ActiveActive_PrimaryDies_VirtualServiceKeepsServing_SecondSeBackWhenOneJoins()
    {
        var vip = VirtualLan.Vip(0);
        await using var lan = await SiloLan.CreateAsync(["se1", "se2", "se3"], $$"""
            {
              "serviceenginegroup": [ { "name": "aa", "ha_mode": "HA_MODE_SHARED_PAIR", "min_scaleout_per_vs": 2, "max_scaleout_per_vs": 4 } ],
              "serviceengine": [
                { "name": "se1", "se_group_ref": "aa" }, { "name": "se2", "se_group_ref": "aa" }, { "name": "se3", "se_group_ref": "aa" }
              ],
              "virtualservice": [ { "name": "vs-aa", "se_group_ref": "aa", "vip": [ { "vip_id": "0", "ip_address": "{{vip}}" } ] } ]
            }
            """);
        await lan.StartAsync("se1", "se2");
        var placed = await lan.PlacementAsync("vs-aa", p => p.State == PlacementState.Placed && p.NumSeAssigned == 2, "vs-aa on two SEs");
        var primary = placed.Vip[0].ActiveSeRef;
        var secondary = primary == "se1" ? "se2" : "se1";
        await lan.VipOnAsync(vip, primary);
        await using var sampler = OwnershipSampler.Start(lan.Lan, [vip]);
        await using var probe = VipProbe.Start(lan.Lan.Client, new IPEndPoint(vip, lan.Lan.ServicePort));
        await probe.WaitForAnswerAsync(primary, TimeSpan.FromSeconds(15), cancellationToken: SiloLan.Ct);

        var kill = lan.Cluster.Kill(lan.Host(primary));
        await lan.AnsweredByAsync(probe, secondary, kill.Started);
        await lan.PlacementAsync("vs-aa", p => p.State == PlacementState.HaCompromised && p.Vip[0].ActiveSeRef == secondary && p.NumSeAssigned == 1, "vs-aa on the survivor alone, HA compromised");

        // A third SE joins: the virtual service gets its second SE back, and the VIP stays with its primary.
        await lan.StartAsync("se3");
        var healed = await lan.PlacementAsync("vs-aa", p => p.State == PlacementState.Placed && p.NumSeAssigned == 2, "vs-aa back on two SEs");
        Assert.Equal(secondary, healed.Vip[0].ActiveSeRef);
        Assert.Contains(healed.Vip[0].SeList, s => s.SeRef == "se3");
        await Task.Delay(TimeSpan.FromSeconds(1), SiloLan.Ct);
        await sampler.StopAsync();
        lan.AssertNoDuplicate(sampler, sampler.Samples[0].Started);
        Assert.Equal([secondary], lan.Owners(vip));
    }
}
